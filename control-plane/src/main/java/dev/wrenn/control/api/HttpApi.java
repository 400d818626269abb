package dev.wrenn.control.api;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.service.AccountService;
import dev.wrenn.control.service.ApiKeyService;
import dev.wrenn.control.service.SessionService;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;

/**
 * This package's share of the control plane's HTTP server: the server settings every route relies on (virtual
 * threads, the JSON body cap, JSON errors, the mapper, Swagger UI's assets, request metrics) and the account and
 * installation routes that live here. The wiring in the root package calls it; the route classes stay package-private.
 */
public final class HttpApi {
    /** The largest JSON body a route reads; file uploads are streamed and limited by the config instead. */
    static final long MAX_JSON_BODY_BYTES = 1024 * 1024;

    private HttpApi() {}

    public static void configureServer(JavalinConfig javalin, PrometheusMeterRegistry registry) {
        javalin.concurrency.useVirtualThreads = true;
        javalin.startup.showJavalinBanner = false;
        javalin.http.maxRequestSize = MAX_JSON_BODY_BYTES;
        javalin.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        javalin.jsonMapper(new JavalinJackson(JsonBodies.newMapper(), true));
        javalin.staticFiles.add(files -> {
            files.hostedPath = SystemRoutes.DOCS_ASSETS;
            files.directory = SystemRoutes.swaggerUiDirectory();
            files.location = Location.CLASSPATH;
        });
        RequestMetrics requestMetrics = new RequestMetrics(registry);
        javalin.requestLogger.http(requestMetrics::record);
    }

    /** Error rendering, then the system, auth, session and API-key routes. */
    public static void registerRoutes(
            RoutesConfig routes,
            Database database,
            PrometheusMeterRegistry registry,
            Authenticator auth,
            AccountService accounts,
            SessionService sessions,
            ApiKeyService apiKeys,
            Clock clock) {
        ErrorResponses.register(routes);
        new SystemRoutes(database, registry, auth).register(routes);
        new AuthRoutes(accounts, auth, clock, sessions).register(routes);
        new SessionRoutes(sessions, auth, clock).register(routes);
        new ApiKeyRoutes(apiKeys, auth).register(routes);
    }
}
