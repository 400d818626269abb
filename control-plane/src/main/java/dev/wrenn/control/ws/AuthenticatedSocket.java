package dev.wrenn.control.ws;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.api.StreamLimits;
import dev.wrenn.control.db.SandboxOperation;
import dev.wrenn.control.error.ApiException;
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
import java.util.function.Function;

/**
 * A WebSocket route on one running sandbox (the {@code {id}} of its path) whose caller authenticates in one of two
 * ways: credentials in the upgrade's headers, checked before the upgrade so that a refusal is an ordinary JSON answer
 * (401, 404, 409); or, from a browser, which cannot set headers on a WebSocket, a first frame
 * {@code {"type":"auth","token":...}} within {@link #AUTH_DEADLINE}. Once the caller is known, each connection
 * follows its socket's own {@link Protocol}. Each connection holds a share of its caller's
 * {@link StreamLimits} from then until it ends: past the limit an upgrade with credentials is answered 429, a
 * connection that authenticates by frame gets an error frame and is closed.
 */
public final class AuthenticatedSocket<F extends AuthenticatedSocket.Frame> {
    public static final Duration AUTH_DEADLINE = Duration.ofSeconds(10);
    private static final String CALLER = "wrenn.ws.caller";

    /** What this class reads of a socket's client frames; the socket's own frame record implements it. */
    public interface Frame {
        String type();

        String token();
    }

    /**
     * One connection's own protocol, made when the connection opens. Frames come one at a time (Jetty delivers a
     * connection's messages in order, never concurrently); an {@link ApiException} thrown ends the connection with
     * an error frame.
     */
    public interface Protocol<F> {
        /** The first frame once the caller is known; see {@link SocketConnection#begin()}. */
        void start(F frame);

        /** Every frame after the connection began running. */
        void onFrame(F frame);
    }

    private final String path;
    private final Authenticator auth;
    private final SandboxService sandboxes;
    private final Function<String, F> parser;
    private final String authDeadlineMessage;
    private final Function<SocketConnection<F>, Protocol<F>> protocols;
    private final Map<String, SocketConnection<F>> connections = new ConcurrentHashMap<>();

    /**
     * @param parser reads one client frame, throwing {@link ApiException} for one that is not valid
     * @param authDeadlineMessage the error frame's text for a connection that sent no auth frame in time
     * @param protocols makes the protocol of a new connection
     */
    public AuthenticatedSocket(
            String path,
            Authenticator auth,
            SandboxService sandboxes,
            Function<String, F> parser,
            String authDeadlineMessage,
            Function<SocketConnection<F>, Protocol<F>> protocols) {
        this.path = path;
        this.auth = auth;
        this.sandboxes = sandboxes;
        this.parser = parser;
        this.authDeadlineMessage = authDeadlineMessage;
        this.protocols = protocols;
    }

    public void register(RoutesConfig routes) {
        routes.wsBeforeUpgrade(path, this::beforeUpgrade);
        routes.ws(path, this::configure);
    }

    /** Ends every open connection and what runs for it: the server is going away and nobody would read them. */
    public void closeAll() {
        connections.values().forEach(SocketConnection::onGone);
        connections.clear();
    }

    String path() {
        return path;
    }

    F parse(String text) {
        return parser.apply(text);
    }

    String authDeadlineMessage() {
        return authDeadlineMessage;
    }

    Protocol<F> protocolFor(SocketConnection<F> connection) {
        return protocols.apply(connection);
    }

    /** The caller behind a connection's first frame, which must be an auth frame, if the sandbox runs. */
    Principal authenticate(Frame frame, String sandboxId, String address) {
        if (!frame.type().equals("auth")) {
            throw ApiException.unauthorized(
                    "authenticate first: send {\"type\":\"auth\",\"token\":\"<API key or user token>\"}");
        }
        Principal caller = auth.callerFromToken(frame.token(), address);
        sandboxes.require(caller.teamId(), sandboxId, SandboxOperation.EXEC);
        return caller;
    }

    /** @throws ApiException 429 when the caller holds as many streams as it may */
    StreamLimits.Lease lease(Principal caller) {
        return auth.streams().acquire(caller);
    }

    private void beforeUpgrade(Context ctx) {
        if (auth.hasCredentialHeaders(ctx)) {
            Principal caller = auth.apiKeyOrJwtCaller(ctx);
            sandboxes.require(caller.teamId(), ctx.pathParam("id"), SandboxOperation.EXEC);
            auth.streams().check(caller);
            ctx.attribute(CALLER, caller);
        }
    }

    private void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(ctx -> {
            SocketConnection<F> connection = connections.get(ctx.sessionId());
            if (connection != null) {
                connection.onFrame(ctx.message());
            }
        });
        ws.onClose(this::gone);
        ws.onError(this::gone);
    }

    private void connected(WsConnectContext ctx) {
        Principal caller = ctx.attribute(CALLER);
        SocketConnection<F> connection = new SocketConnection<>(ctx.session, ctx.pathParam("id"), caller, this);
        connections.put(ctx.sessionId(), connection);
        if (caller != null) {
            connection.holdLease(caller);
        } else {
            CompletableFuture.delayedExecutor(AUTH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(connection::onAuthDeadline);
        }
    }

    private void gone(WsContext ctx) {
        SocketConnection<F> connection = connections.remove(ctx.sessionId());
        if (connection != null) {
            connection.onGone();
        }
    }
}
