package dev.wrenn.host.api;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.time.Duration;

/** Checks of request fields shared by the exec and file calls; a bad field fails before anything is started. */
final class Requests {
    private Requests() {}

    static void require(boolean condition, String operation, String problem) {
        if (!condition) {
            throw new HostAgentException(ErrorCode.INVALID_ARGUMENT, operation + ": " + problem);
        }
    }

    static void requireSandboxId(String sandboxId, String operation) {
        require(!sandboxId.isEmpty(), operation, "sandbox_id is empty");
    }

    static void requirePath(String path, String operation) {
        require(!path.isEmpty(), operation, "path is empty");
        require(path.indexOf('\0') < 0, operation, "path contains a NUL byte");
    }

    /** {@code 0} means {@code whenZero} (null: no limit). */
    static Duration timeout(int timeoutSec, Duration whenZero, String operation) {
        require(timeoutSec >= 0, operation, "timeout_sec must not be negative, got " + timeoutSec);
        return timeoutSec == 0 ? whenZero : Duration.ofSeconds(timeoutSec);
    }
}
