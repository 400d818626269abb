package dev.wrenn.guest.http;

import dev.wrenn.guest.fs.EntryInfos;
import dev.wrenn.guest.fs.PathResolver;
import dev.wrenn.guest.http.auth.FileAccessGuard;
import dev.wrenn.guest.http.files.ComposeRoute;
import dev.wrenn.guest.http.files.FileDownloadRoute;
import dev.wrenn.guest.http.files.FileUploadRoute;
import dev.wrenn.guest.http.init.EntropySink;
import dev.wrenn.guest.http.init.InitRoute;
import dev.wrenn.guest.http.init.SystemClock;
import dev.wrenn.guest.http.metrics.HostMetrics;
import dev.wrenn.guest.http.transport.Replies;
import dev.wrenn.guest.http.transport.Router;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.CallerResolver;
import dev.wrenn.guest.user.UserDirectory;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Set;

/** The plain HTTP endpoints of envd, and which of them the access-token filter lets through. */
final class EnvdRoutes {
    /** Routes that authorize themselves (or are public) once a token is set. */
    static final Set<String> TOKEN_EXEMPT = Set.of("GET /health", "GET /files", "POST /files", "POST /init");

    private EnvdRoutes() {}

    static Router create(AgentState state, UserDirectory users, SystemClock systemClock, EntropySink entropy) {
        InstantSource clock = InstantSource.system();
        CallerResolver callers = new CallerResolver(users, state);
        PathResolver paths = new PathResolver(state);
        FileAccessGuard guard = new FileAccessGuard(state, clock);
        HostMetrics metrics = new HostMetrics(Path.of("/proc"), Path.of("/"), clock);
        return new Router()
                .add("GET", "/health", exchange -> {
                    exchange.getResponseHeaders().set("Cache-Control", "no-store");
                    Replies.empty(exchange, 204);
                })
                .add("GET", "/files", new FileDownloadRoute(guard, callers, paths))
                .add("POST", "/files", new FileUploadRoute(guard, callers, paths))
                .add("POST", "/files/compose", new ComposeRoute(callers, paths, new EntryInfos(users)))
                .add("POST", "/init", new InitRoute(state, users, systemClock, clock, entropy))
                .add("GET", "/envs", exchange -> Replies.json(exchange, 200, state.envVars()))
                .add(
                        "GET",
                        "/metrics",
                        exchange -> Replies.json(exchange, 200, metrics.sample().toJson()));
    }
}
