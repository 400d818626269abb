package dev.wrenn.control.e2b;

import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.db.Template;
import dev.wrenn.control.db.TemplateType;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.sandboxes.SandboxSpec;
import dev.wrenn.control.snapshots.SnapshotService;
import io.javalin.http.Context;
import java.util.List;

/**
 * E2B's snapshots over Wrenn's snapshot templates. A snapshot's E2B id is its template name, which is what
 * {@code Sandbox.create(snapshotID)} boots. Unlike /v1 (which leaves the source paused), a sandbox that was running
 * is resumed afterwards, as E2B users expect to keep working in it.
 */
final class E2bSnapshotRoutes {
    private final SnapshotService snapshots;
    private final SandboxService core;

    E2bSnapshotRoutes(SnapshotService snapshots, SandboxService core) {
        this.snapshots = snapshots;
        this.core = core;
    }

    record SnapshotView(String snapshotID, List<String> names) {
        static SnapshotView of(Template t) {
            return new SnapshotView(t.name(), List.of(t.name()));
        }
    }

    record AliasView(String templateID, boolean isPublic) {}

    void create(Context ctx, Principal caller) {
        String id = ctx.pathParam("id");
        String name = E2bJson.optionalString(E2bJson.body(ctx), "name");
        Sandbox before = core.get(caller.teamId(), id);
        if (before.status().isEnded()) {
            throw ApiException.notFound("sandbox " + id + " not found");
        }
        Template made = snapshots.create(caller.teamId(), id, name, false);
        if (before.status() == SandboxStatus.RUNNING) {
            core.resume(caller.teamId(), id);
        }
        E2bJson.write(ctx, 201, SnapshotView.of(made));
    }

    /** The team's snapshots, newest first, optionally by name; {@code sandboxID} is not recorded and not filtered. */
    void list(Context ctx, Principal caller) {
        String name = ctx.queryParam("name");
        E2bJson.write(
                ctx,
                200,
                snapshots.list(caller.teamId(), TemplateType.SNAPSHOT).stream()
                        .filter(t -> name == null || name.isEmpty() || t.name().equals(name))
                        .map(SnapshotView::of)
                        .toList());
    }

    void delete(Context ctx, Principal caller) {
        snapshots.delete(caller.teamId(), ctx.pathParam("id"));
        ctx.status(204);
    }

    /** 200 for the built-in base or one of the team's templates, 404 otherwise (the SDK's {@code Template.exists}). */
    void alias(Context ctx, Principal caller) {
        String alias = ctx.pathParam("alias");
        boolean exists = alias.equals(SandboxSpec.DEFAULT_TEMPLATE)
                || snapshots.list(caller.teamId()).stream()
                        .anyMatch(t -> t.name().equals(alias));
        if (!exists) {
            throw ApiException.notFound("template " + alias + " not found");
        }
        E2bJson.write(ctx, 200, new AliasView(alias, alias.equals(SandboxSpec.DEFAULT_TEMPLATE)));
    }
}
