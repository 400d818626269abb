package dev.wrenn.control.e2b;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.sandboxes.NetworkRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The shapes E2B's API answers with; names as E2B's OpenAPI spells them. */
final class E2bViews {
    /** The guest agent's protocol version Wrenn speaks (E2B's envd 0.6.13; the SDK gates features on it). */
    static final String ENVD_VERSION = "0.6.13";
    /** E2B's deprecated client id; one host for now. */
    static final String CLIENT_ID = "wrenn";
    /** The root disk's size is not tracked per sandbox yet. */
    static final int DISK_SIZE_MB = 0;

    private E2bViews() {}

    /** The answer to create and connect. {@code domain} null: the SDK keeps the one it was configured with. */
    record SandboxCreated(
            String sandboxID,
            String templateID,
            String clientID,
            String envdVersion,
            String envdAccessToken,
            String domain) {
        static SandboxCreated of(Sandbox sandbox, String accessToken) {
            return new SandboxCreated(
                    sandbox.id(), sandbox.template(), CLIENT_ID, ENVD_VERSION, emptyToNull(accessToken), null);
        }
    }

    record Lifecycle(String onTimeout, boolean autoResume) {}

    /** E2B's {@code SandboxNetworkConfig} as GET shows it. */
    record Network(List<String> allowOut, List<String> denyOut, boolean allowPublicTraffic) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SandboxDetail(
            String sandboxID,
            String templateID,
            String clientID,
            int cpuCount,
            int memoryMB,
            int diskSizeMB,
            Instant startedAt,
            Instant endAt,
            String state,
            String envdVersion,
            Map<String, String> metadata,
            String envdAccessToken,
            Lifecycle lifecycle,
            Boolean allowInternetAccess,
            Network network) {
        static SandboxDetail of(Sandbox s, Instant endAt, OnTimeout onTimeout, String accessToken, NetworkRules rules) {
            return new SandboxDetail(
                    s.id(),
                    s.template(),
                    CLIENT_ID,
                    s.vcpus(),
                    s.memoryMb(),
                    DISK_SIZE_MB,
                    E2bViews.startedAt(s),
                    endAt,
                    E2bViews.state(s),
                    ENVD_VERSION,
                    s.metadata(),
                    emptyToNull(accessToken),
                    new Lifecycle(onTimeout.wireName(), false),
                    rules.allowInternetAccess(),
                    E2bNetwork.view(rules));
        }
    }

    record ListedSandbox(
            String sandboxID,
            String templateID,
            String clientID,
            int cpuCount,
            int memoryMB,
            int diskSizeMB,
            Instant startedAt,
            Instant endAt,
            String state,
            String envdVersion,
            Map<String, String> metadata) {
        static ListedSandbox of(Sandbox s, Instant endAt) {
            return new ListedSandbox(
                    s.id(),
                    s.template(),
                    CLIENT_ID,
                    s.vcpus(),
                    s.memoryMb(),
                    DISK_SIZE_MB,
                    E2bViews.startedAt(s),
                    endAt,
                    E2bViews.state(s),
                    ENVD_VERSION,
                    s.metadata());
        }
    }

    /** E2B knows two live states; a sandbox still booting counts as running (it is about to). */
    static String state(Sandbox s) {
        return s.status() == SandboxStatus.PAUSED ? "paused" : "running";
    }

    static Instant startedAt(Sandbox s) {
        return s.startedAt() == null ? s.createdAt() : s.startedAt();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
