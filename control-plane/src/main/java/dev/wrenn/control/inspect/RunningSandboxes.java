package dev.wrenn.control.inspect;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * The lookup the console's routes share: a team's sandbox that must be running. Another team's sandbox is as unknown
 * as a made-up id (404); a sandbox that is not running is 409 {@code invalid_state}.
 */
public final class RunningSandboxes {
    private final SandboxRepository sandboxes;
    private final Clock clock;

    public RunningSandboxes(SandboxRepository sandboxes, Clock clock) {
        this.sandboxes = sandboxes;
        this.clock = clock;
    }

    public Sandbox require(String teamId, String id) {
        Sandbox sandbox =
                sandboxes.find(teamId, id).orElseThrow(() -> ApiException.notFound("sandbox " + id + " not found"));
        if (sandbox.status() != SandboxStatus.RUNNING) {
            throw new ApiException(
                    ErrorCode.INVALID_STATE,
                    "sandbox " + id + " is not running (status: "
                            + sandbox.status().wireName() + ")");
        }
        return sandbox;
    }

    /** Records activity, so that idle-time decisions see the console's use. */
    public void touch(Sandbox sandbox) {
        sandboxes.touch(sandbox.id(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
}
