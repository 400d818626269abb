package dev.wrenn.control.exec;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.exec.ExecFrames.ClientFrame;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.ws.AuthenticatedSocket;
import io.javalin.config.RoutesConfig;

/**
 * WebSocket {@code /v1/sandboxes/{id}/exec/stream}. Credentials in the upgrade's headers are checked before the
 * upgrade (401, 404, 409 as JSON answers, as for any route); a browser, which cannot set headers on a WebSocket,
 * connects without and sends {@code {"type":"auth","token":...}} as its first frame instead.
 */
public final class ExecStreamSocket {
    public static final String PATH = "/v1/sandboxes/{id}/exec/stream";

    private final AuthenticatedSocket<ClientFrame> socket;

    public ExecStreamSocket(Authenticator auth, SandboxService sandboxes, HostAgentClient hostAgent) {
        this.socket = new AuthenticatedSocket<>(
                PATH,
                auth,
                sandboxes,
                ExecFrames::parse,
                "no {\"type\":\"auth\"} frame within the time allowed",
                connection -> new ExecStreamSession(connection, sandboxes, hostAgent));
    }

    public void register(RoutesConfig routes) {
        socket.register(routes);
    }
}
