package dev.wrenn.control.terminal;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket {@code /v1/sandboxes/{id}/pty}: a shell on a terminal in the sandbox, for the web console. Credentials in
 * the upgrade's headers are checked before the upgrade (401, 404, 409 as JSON answers); a browser, which cannot set
 * headers on a WebSocket, sends {@code {"type":"auth","token":...}} as its first frame instead.
 */
public final class PtySocket {
    public static final String PATH = "/v1/sandboxes/{id}/pty";
    static final Duration AUTH_DEADLINE = Duration.ofSeconds(10);
    private static final String CALLER = "wrenn.pty.caller";

    private final Authenticator auth;
    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;
    private final Map<String, PtySession> sessions = new ConcurrentHashMap<>();

    public PtySocket(Authenticator auth, SandboxService sandboxes, HostAgentClient hostAgent) {
        this.auth = auth;
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
    }

    public void register(RoutesConfig routes) {
        routes.wsBeforeUpgrade(PATH, this::beforeUpgrade);
        routes.ws(PATH, this::configure);
    }

    /** Kills every open terminal: the server is going away and nobody would read them. */
    public void closeAll() {
        sessions.values().forEach(PtySession::onGone);
        sessions.clear();
    }

    private void beforeUpgrade(Context ctx) {
        if (auth.hasCredentialHeaders(ctx)) {
            Principal caller = auth.apiKeyOrJwtCaller(ctx);
            sandboxes.requireRunning(caller.teamId(), ctx.pathParam("id"));
            ctx.attribute(CALLER, caller);
        }
    }

    private void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(ctx -> {
            PtySession session = sessions.get(ctx.sessionId());
            if (session != null) {
                session.onFrame(ctx.message());
            }
        });
        ws.onClose(this::gone);
        ws.onError(this::gone);
    }

    private void connected(WsConnectContext ctx) {
        Principal caller = ctx.attribute(CALLER);
        PtySession session = new PtySession(ctx.session, ctx.pathParam("id"), caller, auth, sandboxes, hostAgent);
        sessions.put(ctx.sessionId(), session);
        if (caller == null) {
            CompletableFuture.delayedExecutor(AUTH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(session::onAuthDeadline);
        }
    }

    private void gone(WsContext ctx) {
        PtySession session = sessions.remove(ctx.sessionId());
        if (session != null) {
            session.onGone();
        }
    }
}
