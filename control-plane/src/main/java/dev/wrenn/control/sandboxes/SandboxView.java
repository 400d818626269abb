package dev.wrenn.control.sandboxes;

import dev.wrenn.control.db.Sandbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A sandbox as the API shows it. Absent values are left out: {@code host_ip} until the VM runs, {@code error} unless
 * the status is {@code error}.
 */
public record SandboxView(
        String id,
        String status,
        String template,
        int vcpus,
        int memoryMb,
        int timeoutSec,
        String hostIp,
        Instant createdAt,
        Instant startedAt,
        Instant lastActiveAt,
        Instant lastUpdated,
        Map<String, String> metadata,
        String error,
        Boolean allowInternetAccess,
        Network network) {

    /** The egress rules as given ({@code allow_out}, {@code deny_out}: IPv4 addresses and CIDRs). */
    public record Network(List<String> allowOut, List<String> denyOut) {}

    /** With the sandbox's egress rules (the single-sandbox answers; lists leave them out). */
    public static SandboxView of(Sandbox s, NetworkRules rules) {
        SandboxView view = of(s);
        return new SandboxView(
                view.id,
                view.status,
                view.template,
                view.vcpus,
                view.memoryMb,
                view.timeoutSec,
                view.hostIp,
                view.createdAt,
                view.startedAt,
                view.lastActiveAt,
                view.lastUpdated,
                view.metadata,
                view.error,
                rules.allowInternetAccess(),
                rules.allowOut().isEmpty() && rules.denyOut().isEmpty()
                        ? null // as E2B: no lists set, no network shown
                        : new Network(rules.allowOut(), rules.denyOut()));
    }

    public static SandboxView of(Sandbox s) {
        return new SandboxView(
                s.id(),
                s.status().wireName(),
                s.template(),
                s.vcpus(),
                s.memoryMb(),
                s.timeoutSec(),
                s.hostIp() == null || s.hostIp().isEmpty() ? null : s.hostIp(),
                s.createdAt(),
                s.startedAt(),
                s.lastActiveAt(),
                s.lastUpdated(),
                s.metadata(),
                s.errorReason(),
                null,
                null);
    }
}
