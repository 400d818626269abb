package dev.wrenn.host.snapshot;

import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;

/**
 * A running VM brought back from a snapshot, with the spec it runs under: pass both to {@link Pauser#pause} to
 * pause it again. Its guest still has the snapshot's clock and (for a clone) the template's identity and random
 * state: the caller re-initialises the guest before handing it out.
 */
public record RestoredVm(Vmm vm, VmSpec spec) {}
