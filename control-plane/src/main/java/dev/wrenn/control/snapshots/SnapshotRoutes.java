package dev.wrenn.control.snapshots;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.TemplateType;
import dev.wrenn.control.error.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code POST|GET /v1/snapshots}, {@code PATCH|DELETE /v1/snapshots/{name}} (name or id), always within the caller's
 * team; {@code PATCH} with {@code {"public":true}} lets every team boot the template by its id.
 */
public final class SnapshotRoutes {
    private final SnapshotService snapshots;
    private final Authenticator auth;

    public SnapshotRoutes(SnapshotService snapshots, Authenticator auth) {
        this.snapshots = snapshots;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.post("/v1/snapshots", auth.apiKeyOrJwt(this::create));
        routes.get("/v1/snapshots", auth.apiKeyOrJwt(this::list));
        routes.delete("/v1/snapshots/{name}", auth.apiKeyOrJwt(this::delete));
        routes.patch("/v1/snapshots/{name}", auth.apiKeyOrJwt(this::update));
    }

    private void update(Context ctx, Principal caller) {
        UpdateRequest body = JsonBodies.read(ctx, UpdateRequest.class);
        if (body.isPublic() == null) {
            throw ApiException.invalid("field 'public' (true or false) is required");
        }
        ctx.json(TemplateView.of(snapshots.setPublic(caller.teamId(), ctx.pathParam("name"), body.isPublic())));
    }

    private void create(Context ctx, Principal caller) {
        boolean overwrite = flag(ctx, "overwrite");
        CreateRequest body = JsonBodies.read(ctx, CreateRequest.class);
        ctx.status(201)
                .json(TemplateView.of(snapshots.create(caller.teamId(), body.sandboxId(), body.name(), overwrite)));
    }

    private void list(Context ctx, Principal caller) {
        ctx.json(snapshots.list(caller.teamId(), type(ctx.queryParam("type"))).stream()
                .map(TemplateView::of)
                .toList());
    }

    private void delete(Context ctx, Principal caller) {
        snapshots.delete(caller.teamId(), ctx.pathParam("name"));
        ctx.status(204);
    }

    private static boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.invalid(name + " must be true or false (got '" + value + "')");
    }

    private static TemplateType type(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (value) {
            case "base" -> TemplateType.BASE;
            case "snapshot" -> TemplateType.SNAPSHOT;
            default -> throw ApiException.invalid("type must be base or snapshot (got '" + value + "')");
        };
    }

    record CreateRequest(String sandboxId, String name) {}

    record UpdateRequest(@JsonProperty("public") Boolean isPublic) {}
}
