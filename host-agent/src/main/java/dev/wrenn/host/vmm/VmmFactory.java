package dev.wrenn.host.vmm;

/** Makes the VMM for a spec; the backend (QEMU now, Firecracker later) and its accelerator are bound here. */
@FunctionalInterface
public interface VmmFactory {
    Vmm create(VmSpec spec);
}
