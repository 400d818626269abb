package dev.wrenn.host.sandbox;

import dev.wrenn.host.net.Ipv4;
import java.time.Instant;

/**
 * A snapshot of one sandbox's state for listing; immutable, unlike {@link Sandbox}. {@code stopReason} is empty
 * unless the VM stopped on its own (how its VMM ended and the console's last lines).
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
        String envdAccessToken) {}
