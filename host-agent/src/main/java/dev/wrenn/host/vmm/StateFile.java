package dev.wrenn.host.vmm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Device state saved by a paused VM. {@code includesMemory} is false when guest RAM stayed in the VM's shared RAM
 * file (only device state was written, tens of KB); true when the RAM was private (a clone) and had to be written
 * into this file too. A restore must know which, because the two streams differ.
 */
public record StateFile(Path path, boolean includesMemory) {
    public StateFile {
        Objects.requireNonNull(path, "path");
    }
}
