package dev.wrenn.control.terminal;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.terminal.PtyFrames.ClientFrame;
import dev.wrenn.control.ws.AuthenticatedSocket;
import io.javalin.config.RoutesConfig;

/**
 * WebSocket {@code /v1/sandboxes/{id}/pty}: a shell on a terminal in the sandbox, for the web console. Credentials in
 * the upgrade's headers are checked before the upgrade (401, 404, 409 as JSON answers); a browser, which cannot set
 * headers on a WebSocket, sends {@code {"type":"auth","token":...}} as its first frame instead.
 */
public final class PtySocket {
    public static final String PATH = "/v1/sandboxes/{id}/pty";

    private final AuthenticatedSocket<ClientFrame> socket;

    public PtySocket(Authenticator auth, SandboxService sandboxes, HostAgentClient hostAgent) {
        this.socket = new AuthenticatedSocket<>(
                PATH,
                auth,
                sandboxes,
                PtyFrames::parse,
                "no {\"type\":\"auth\"} frame within " + AuthenticatedSocket.AUTH_DEADLINE.toSeconds() + " s",
                connection -> new PtySession(connection, sandboxes, hostAgent));
    }

    public void register(RoutesConfig routes) {
        socket.register(routes);
    }

    /** Kills every open terminal: the server is going away and nobody would read them. */
    public void closeAll() {
        socket.closeAll();
    }
}
