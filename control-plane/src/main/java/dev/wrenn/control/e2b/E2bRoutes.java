package dev.wrenn.control.e2b;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.DatabaseOutage;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.RetryLaterException;
import dev.wrenn.control.snapshots.SnapshotService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * E2B's sandbox API beside /v1 on the same port (E2B's paths, no prefix), authenticated like /v1 ({@code X-API-KEY},
 * any key format, or a user token). Every failure is {@code {"code":N,"message":...}}: the SDK decides between
 * "not found", "already paused" and a real error by that {@code code}.
 */
public final class E2bRoutes {
    static final String NEXT_TOKEN_HEADER = "x-next-token";
    /** E2B's limit on {@code sandbox_ids} of {@code GET /sandboxes/metrics} (maxItems). */
    static final int MAX_METRICS_IDS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(E2bRoutes.class);

    private final E2bSandboxes sandboxes;
    private final Authenticator auth;
    private final dev.wrenn.control.sandboxes.SandboxService core;

    private final E2bSnapshotRoutes snapshots;
    private final dev.wrenn.control.templates.TemplateRoutes templates;

    public E2bRoutes(
            E2bSandboxes sandboxes,
            dev.wrenn.control.sandboxes.SandboxService core,
            SnapshotService snapshots,
            Authenticator auth) {
        this(sandboxes, core, snapshots, auth, null);
    }

    /** With E2B's template build routes ({@code templates} null: only the snapshot ones, as before issue 14). */
    public E2bRoutes(
            E2bSandboxes sandboxes,
            dev.wrenn.control.sandboxes.SandboxService core,
            SnapshotService snapshots,
            Authenticator auth,
            dev.wrenn.control.templates.TemplateRoutes templates) {
        this.templates = templates;
        this.sandboxes = sandboxes;
        this.core = core;
        this.snapshots = new E2bSnapshotRoutes(snapshots, core);
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        for (String prefix : List.of("", "/v2")) {
            routes.post(prefix + "/sandboxes", handle(this::create));
            routes.post(prefix + "/sandboxes/{id}/connect", handle(this::connect));
        }
        routes.get("/v2/sandboxes", handle(this::list));
        // Before /sandboxes/{id}: Javalin takes the first route that matches, and "metrics" is no sandbox id.
        routes.get("/sandboxes/metrics", handle(this::latestMetrics));
        routes.get("/sandboxes/{id}", handle(this::detail));
        routes.delete("/sandboxes/{id}", handle(this::kill));
        routes.post("/sandboxes/{id}/timeout", handle(this::setTimeout));
        routes.put("/sandboxes/{id}/network", handle(this::updateNetwork));
        routes.post("/sandboxes/{id}/pause", handle(this::pause));
        routes.get("/sandboxes/{id}/metrics", handle(this::metrics));
        routes.post("/sandboxes/{id}/fork", handle((ctx, caller) -> snapshots.fork(ctx, caller, sandboxes)));
        routes.post("/sandboxes/{id}/snapshots", handle(snapshots::create));
        routes.get("/snapshots", handle(snapshots::list));
        if (templates != null) {
            templates.registerE2b(routes, h -> handle(h::handle));
        } else {
            routes.delete("/templates/{id}", handle(snapshots::delete));
        }
        routes.patch("/templates/{id}", handle((ctx, caller) -> snapshots.update(ctx, caller, false)));
        routes.patch("/v2/templates/{id}", handle((ctx, caller) -> snapshots.update(ctx, caller, true)));
        routes.get("/templates/aliases/{alias}", handle(snapshots::alias));
    }

    private void create(Context ctx, Principal caller) {
        E2bJson.write(ctx, 201, sandboxes.create(caller.teamId(), NewSandbox.from(E2bJson.body(ctx))));
    }

    private void connect(Context ctx, Principal caller) {
        var body = E2bJson.body(ctx);
        Integer timeout = E2bJson.optionalInt(body, "timeout");
        boolean memory = !Boolean.FALSE.equals(E2bJson.optionalBoolean(body, "memory"));
        E2bSandboxes.Connected connected = sandboxes.connect(
                caller.teamId(),
                ctx.pathParam("id"),
                timeout == null ? NewSandbox.DEFAULT_TIMEOUT_SEC : timeout,
                memory);
        E2bJson.write(ctx, connected.resumed() ? 201 : 200, connected.sandbox());
    }

    private void metrics(Context ctx, Principal caller) {
        E2bJson.write(
                ctx,
                200,
                sandboxes.metrics(
                        caller.teamId(), ctx.pathParam("id"), unixSeconds(ctx, "start"), unixSeconds(ctx, "end")));
    }

    /** E2B's {@code GET /sandboxes/metrics?sandbox_ids=a,b}: the newest sample of each, at most 100 ids. */
    private void latestMetrics(Context ctx, Principal caller) {
        String param = ctx.queryParam("sandbox_ids");
        if (param == null || param.isBlank()) {
            throw ApiException.invalid("query parameter 'sandbox_ids' (comma-separated sandbox ids) is required");
        }
        List<String> ids = java.util.Arrays.stream(param.split(","))
                .map(String::strip)
                .filter(id -> !id.isEmpty())
                .distinct()
                .toList();
        if (ids.size() > MAX_METRICS_IDS) {
            throw ApiException.invalid("at most " + MAX_METRICS_IDS + " sandbox_ids (got " + ids.size() + ")");
        }
        E2bJson.write(ctx, 200, java.util.Map.of("sandboxes", sandboxes.latestMetrics(caller.teamId(), ids)));
    }

    private static Long unixSeconds(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.strip().matches("[0-9]{1,18}")) {
            throw ApiException.invalid("query parameter '" + name + "' must be a Unix timestamp in seconds");
        }
        return Long.parseLong(value.strip());
    }

    private void detail(Context ctx, Principal caller) {
        E2bJson.write(ctx, 200, sandboxes.detail(caller.teamId(), ctx.pathParam("id")));
    }

    private void kill(Context ctx, Principal caller) {
        sandboxes.kill(caller.teamId(), ctx.pathParam("id"));
        ctx.status(204);
    }

    private void setTimeout(Context ctx, Principal caller) {
        Integer timeout = E2bJson.optionalInt(E2bJson.body(ctx), "timeout");
        if (timeout == null) {
            throw ApiException.invalid("field 'timeout' (seconds) is required");
        }
        sandboxes.setTimeout(caller.teamId(), ctx.pathParam("id"), timeout);
        ctx.status(204);
    }

    private void updateNetwork(Context ctx, Principal caller) {
        sandboxes.updateNetwork(caller.teamId(), ctx.pathParam("id"), E2bNetwork.fromUpdate(E2bJson.body(ctx)));
        ctx.status(204);
    }

    private void pause(Context ctx, Principal caller) {
        if (Boolean.FALSE.equals(E2bJson.optionalBoolean(E2bJson.body(ctx), "memory"))) {
            sandboxes.live(caller.teamId(), ctx.pathParam("id")); // an unknown sandbox is still a 404
            throw FilesystemOnlyPause.unsupported("memory");
        }
        sandboxes.pause(caller.teamId(), ctx.pathParam("id"));
        ctx.status(204);
    }

    private void list(Context ctx, Principal caller) {
        ListQuery query = ListQuery.from(ctx);
        List<Sandbox> matching = core.listLive(caller.teamId()).stream()
                .filter(query::matches)
                .sorted(query.order())
                .filter(query::isAfterCursor)
                .limit(query.limit() + 1L)
                .toList();
        List<Sandbox> page = matching.subList(0, Math.min(query.limit(), matching.size()));
        if (matching.size() > query.limit()) {
            ctx.header(NEXT_TOKEN_HEADER, ListQuery.Cursor.of(page.getLast()).token());
        }
        E2bJson.write(
                ctx,
                200,
                page.stream()
                        .map(s -> E2bViews.ListedSandbox.of(
                                s, sandboxes.lifecycleOf(s).endAt()))
                        .toList());
    }

    /** Authenticates, runs, and answers any failure in E2B's error shape. */
    private Handler handle(E2bHandler handler) {
        return ctx -> {
            try {
                handler.handle(ctx, auth.apiKeyOrJwtCaller(ctx));
            } catch (ApiException e) {
                int status = e.code().httpStatus();
                if (status >= 500) {
                    LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e);
                }
                E2bJson.error(ctx, status, e.getMessage());
            } catch (RuntimeException e) {
                RetryLaterException outage = DatabaseOutage.of(e).orElseThrow(() -> e);
                LOG.warn("{} {}: database unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
                ctx.header("Retry-After", Long.toString(outage.retryAfterSeconds()));
                E2bJson.error(ctx, outage.code().httpStatus(), outage.getMessage());
            }
        };
    }

    @FunctionalInterface
    private interface E2bHandler {
        void handle(Context ctx, Principal caller) throws Exception;
    }
}
