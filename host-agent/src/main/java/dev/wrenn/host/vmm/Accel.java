package dev.wrenn.host.vmm;

/** How the VMM runs guest code: hardware virtualisation or QEMU's multi-threaded software emulation. */
public enum Accel {
    KVM,
    TCG
}
