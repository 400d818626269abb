package dev.wrenn.control.api;

import dev.wrenn.control.db.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/** Health, metrics and the API's own description: {@code /healthz}, {@code /metrics}, {@code /openapi.yaml}, {@code /docs}. */
final class SystemRoutes {
    /** Where the Swagger UI webjar's files are served from. */
    static final String DOCS_ASSETS = "/docs/assets";

    private final Database database;
    private final PrometheusMeterRegistry registry;
    private final byte[] openApi;
    private final String docsPage;

    private final Authenticator auth;

    SystemRoutes(Database database, PrometheusMeterRegistry registry, Authenticator auth) {
        this.database = database;
        this.auth = auth;
        this.registry = registry;
        this.openApi = resource("/openapi.yaml");
        this.docsPage = new String(resource("/docs.html"), StandardCharsets.UTF_8).replace("{{assets}}", DOCS_ASSETS);
    }

    void register(RoutesConfig routes) {
        routes.get("/healthz", this::health);
        // Metrics name routes, pools and load: an administrator's, not the public's.
        routes.get("/metrics", auth.admin((ctx, caller) -> metrics(ctx)));
        routes.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi));
        routes.get("/docs", ctx -> ctx.html(docsPage));
    }

    /** The classpath directory of the Swagger UI webjar, whose version the build writes into a properties file. */
    static String swaggerUiDirectory() {
        Properties build = new Properties();
        try (InputStream in = SystemRoutes.class.getResourceAsStream("/control-plane-build.properties")) {
            build.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("control-plane-build.properties is missing from the jar", e);
        }
        return "/META-INF/resources/webjars/swagger-ui/" + build.getProperty("swagger-ui.version");
    }

    private void health(Context ctx) {
        boolean databaseUp = database.isReachable();
        ctx.status(databaseUp ? 200 : 503)
                .json(Map.of(
                        "status", databaseUp ? "ok" : "unavailable", "database", databaseUp ? "ok" : "unreachable"));
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }

    private static byte[] resource(String name) {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name + " from the jar", e);
        }
    }
}
