package dev.wrenn.host.sandbox;

import dev.wrenn.host.net.Slot;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;

/**
 * One stretch of a sandbox's life on a VMM, from boot or resume to pause or destroy: its network slot, the VMM and
 * the spec it runs under, and the undo stack of what this run holds (slot, network, VM directory, VMM process).
 * A pause unwinds it; the sandbox record and its snapshot stay.
 */
record VmRun(Slot slot, Vmm vmm, VmSpec spec, CleanupStack cleanup) {}
