package dev.wrenn.control.exec;

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
 * WebSocket {@code /v1/sandboxes/{id}/exec/stream}. Credentials in the upgrade's headers are checked before the
 * upgrade (401, 404, 409 as JSON answers, as for any route); a browser, which cannot set headers on a WebSocket,
 * connects without and sends {@code {"type":"auth","token":...}} as its first frame instead.
 */
public final class ExecStreamSocket {
    public static final String PATH = "/v1/sandboxes/{id}/exec/stream";
    static final Duration AUTH_DEADLINE = Duration.ofSeconds(10);
    private static final String CALLER = "wrenn.exec.caller";

    private final Authenticator auth;
    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;
    private final Map<String, ExecStreamSession> sessions = new ConcurrentHashMap<>();

    public ExecStreamSocket(Authenticator auth, SandboxService sandboxes, HostAgentClient hostAgent) {
        this.auth = auth;
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
    }

    public void register(RoutesConfig routes) {
        routes.wsBeforeUpgrade(PATH, this::beforeUpgrade);
        routes.ws(PATH, this::configure);
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
            ExecStreamSession session = sessions.get(ctx.sessionId());
            if (session != null) {
                session.onFrame(ctx.message());
            }
        });
        ws.onClose(ctx -> gone(ctx));
        ws.onError(ctx -> gone(ctx));
    }

    private void connected(WsConnectContext ctx) {
        Principal caller = ctx.attribute(CALLER);
        ExecStreamSession session =
                new ExecStreamSession(ctx.session, ctx.pathParam("id"), caller, auth, sandboxes, hostAgent);
        sessions.put(ctx.sessionId(), session);
        if (caller == null) {
            CompletableFuture.delayedExecutor(AUTH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(session::onAuthDeadline);
        }
    }

    private void gone(WsContext ctx) {
        ExecStreamSession session = sessions.remove(ctx.sessionId());
        if (session != null) {
            session.onGone();
        }
    }
}
