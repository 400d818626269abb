package dev.wrenn.control.api;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times every request into {@code http.server.requests} (method, route template, status) and logs it. Tagged by the
 * route template, not the path, so sandbox ids do not make a new time series each.
 */
final class RequestMetrics {
    private static final Logger LOG = LoggerFactory.getLogger("dev.wrenn.control.http");

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Context ctx, Float millis) {
        String route = route(ctx);
        Timer.builder("http.server.requests")
                .description("HTTP requests handled by the control plane")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
        LOG.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), millis);
    }

    private static String route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null || endpoint.path.isEmpty()) {
            return ctx.path().startsWith(SystemRoutes.DOCS_ASSETS) ? SystemRoutes.DOCS_ASSETS : "unmatched";
        }
        return endpoint.path;
    }
}
