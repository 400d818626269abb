package dev.wrenn.control.exec;

import com.google.protobuf.ByteString;
import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxOperation;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** {@code POST /v1/sandboxes/{id}/exec}: runs a command to its end and answers with its whole output. */
public final class ExecRoutes {
    /** Longer commands belong on the exec stream, which has no limit. */
    static final int MAX_TIMEOUT_SEC = 3600;
    /**
     * Output kept per stream: a command that prints without end fills memory here (and the answer) no further; the
     * answer says {@code truncated}. The whole output belongs on the exec stream, which holds nothing.
     */
    static final int MAX_OUTPUT_BYTES = 1024 * 1024;

    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;
    private final Authenticator auth;

    public ExecRoutes(SandboxService sandboxes, HostAgentClient hostAgent, Authenticator auth) {
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.post("/v1/sandboxes/{id}/exec", auth.apiKeyOrJwt(this::exec));
    }

    private void exec(Context ctx, Principal caller) {
        // The original's order of checks: the sandbox (404, 409) before the body (400).
        Sandbox sandbox = sandboxes.require(caller.teamId(), ctx.pathParam("id"), SandboxOperation.EXEC);
        Command command = JsonBodies.read(ctx, Command.class).checked();
        long started = System.nanoTime();
        ExecResponse result = hostAgent.exec(ExecRequest.newBuilder()
                .setSandboxId(sandbox.id())
                .setCmd(command.cmd())
                .addAllArgs(command.args() == null ? List.of() : command.args())
                .setTimeoutSec(command.timeoutSec() == null ? 0 : command.timeoutSec())
                .build());
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        sandboxes.touch(sandbox);
        boolean truncated = result.getStdout().size() > MAX_OUTPUT_BYTES
                || result.getStderr().size() > MAX_OUTPUT_BYTES;
        ExecOutput output = ExecOutput.of(capped(result.getStdout()), capped(result.getStderr()));
        ctx.json(new ExecResult(
                sandbox.id(),
                command.cmd(),
                output.stdout(),
                output.stderr(),
                result.getExitCode(),
                durationMs,
                output.encoding(),
                truncated ? Boolean.TRUE : null));
    }

    /** At most {@link #MAX_OUTPUT_BYTES}, cut before a UTF-8 continuation byte so that text stays text. */
    static byte[] capped(ByteString bytes) {
        if (bytes.size() <= MAX_OUTPUT_BYTES) {
            return bytes.toByteArray();
        }
        int cut = MAX_OUTPUT_BYTES;
        while (cut > MAX_OUTPUT_BYTES - 3 && (bytes.byteAt(cut) & 0xC0) == 0x80) {
            cut--;
        }
        return bytes.substring(0, cut).toByteArray();
    }

    record Command(String cmd, List<String> args, Integer timeoutSec) {
        Command checked() {
            if (cmd == null || cmd.isBlank()) {
                throw ApiException.invalid("cmd is required");
            }
            if (args != null && args.contains(null)) {
                throw ApiException.invalid("args must be strings, not null");
            }
            if (timeoutSec != null && (timeoutSec < 0 || timeoutSec > MAX_TIMEOUT_SEC)) {
                throw ApiException.invalid(
                        "timeout_sec must be between 0 and " + MAX_TIMEOUT_SEC + " (got " + timeoutSec + ")");
            }
            return this;
        }
    }

    /** The answer; {@code duration_ms} is measured here, around the host agent's call. */
    record ExecResult(
            String sandboxId,
            String cmd,
            String stdout,
            String stderr,
            int exitCode,
            long durationMs,
            String encoding,
            Boolean truncated) {}
}
