package dev.wrenn.host.snapshot;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a resumed or cloned VM runs: its name, its directory (RAM file, disk overlay, sockets, console) and its
 * network slot. Any slot works: every guest has the same address behind the same TAP name, so a snapshot taken in
 * one namespace resumes in another without the guest noticing.
 */
public record VmPlacement(String name, Path vmDir, String netns, String tap) {
    public VmPlacement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vmDir, "vmDir");
    }

    /** The RAM file of a VM that owns its memory (a resumed sandbox). */
    public Path ramFile() {
        return vmDir.resolve("memory.ram");
    }

    /** The disk overlay of the VM. */
    public Path disk() {
        return vmDir.resolve("disk.qcow2");
    }
}
