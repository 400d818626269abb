package dev.wrenn.host.sandbox;

import dev.wrenn.host.net.EgressPolicy;
import dev.wrenn.host.net.Ipv4;
import java.time.Instant;

/**
 * A snapshot of one sandbox's state for listing; immutable, unlike {@link Sandbox}. {@code hostIp} is null while the
 * sandbox has no VM (paused, stopped): a resume may put it behind another address. {@code stopReason} is empty
 * unless the VM stopped on its own or an operation left it broken. {@code clonedFrom} names the snapshot template it
 * was restored from (the internal {@code _base-...} one for a plain {@code base} create), empty after a cold boot.
 */
public record SandboxSummary(
        String sandboxId,
        VmState state,
        String template,
        int vcpus,
        int memoryMb,
        Ipv4 hostIp,
        Instant createdAt,
        Instant lastActiveAt,
        int timeoutSec,
        String stopReason,
        String clonedFrom,
        String envdAccessToken,
        EgressPolicy egress) {}
