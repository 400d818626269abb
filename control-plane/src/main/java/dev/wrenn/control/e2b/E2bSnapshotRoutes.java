package dev.wrenn.control.e2b;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.db.Template;
import dev.wrenn.control.db.TemplateType;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.ids.Ids;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.sandboxes.SandboxSpec;
import dev.wrenn.control.snapshots.SnapshotService;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * E2B's snapshots over Wrenn's snapshot templates. A snapshot's E2B id is its template name, which is what
 * {@code Sandbox.create(snapshotID)} boots. Unlike /v1 (which leaves the source paused), a sandbox that was running
 * is resumed afterwards, as E2B users expect to keep working in it.
 */
final class E2bSnapshotRoutes {
    static final int MAX_FORKS = 10;

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

    record AliasView(
            String templateID, @JsonProperty("public") boolean isPublic) {}

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

    /**
     * E2B's fork: the sandbox is frozen into a template named {@code fork-<8 hex>} (which stays, listed with the team's
     * snapshots, because its copies' disks are layered on it), the source resumes if it was running, and {@code count}
     * copies are created from the template. Each entry is {@code {"sandbox":…}} or {@code {"error":…}}.
     */
    void fork(Context ctx, Principal caller, E2bSandboxes sandboxes) {
        String id = ctx.pathParam("id");
        var body = E2bJson.body(ctx);
        Integer count = E2bJson.optionalInt(body, "count");
        Integer timeout = E2bJson.optionalInt(body, "timeout");
        int copies = count == null ? 1 : count;
        if (copies < 1 || copies > MAX_FORKS) {
            throw ApiException.invalid("count must be between 1 and " + MAX_FORKS + " (got " + copies + ")");
        }
        Sandbox before = core.get(caller.teamId(), id);
        if (before.status().isEnded()) {
            throw ApiException.notFound("sandbox " + id + " not found");
        }
        Template made = snapshots.create(caller.teamId(), id, "fork-" + Ids.hex(4), false);
        if (before.status() == SandboxStatus.RUNNING) {
            core.resume(caller.teamId(), id);
        }
        NewSandbox copy = new NewSandbox(
                made.name(),
                NewSandbox.checkedTimeout(timeout == null ? NewSandbox.DEFAULT_TIMEOUT_SEC : timeout),
                Map.of(),
                Map.of(),
                false,
                core.networkRules(id)); // a fork reaches what its parent may reach, no more
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            try {
                results.add(Map.of("sandbox", sandboxes.create(caller.teamId(), copy)));
            } catch (ApiException e) {
                results.add(Map.of("error", Map.of("code", e.code().httpStatus(), "message", e.getMessage())));
            }
        }
        E2bJson.write(ctx, 201, results);
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
        if (alias.equals(SandboxSpec.DEFAULT_TEMPLATE)) {
            E2bJson.write(ctx, 200, new AliasView(alias, true));
            return;
        }
        Template own = snapshots.list(caller.teamId()).stream()
                .filter(t -> t.name().equals(alias))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("template " + alias + " not found"));
        E2bJson.write(ctx, 200, new AliasView(alias, own.isPublic()));
    }

    /**
     * E2B's {@code PATCH /templates/{templateID}} and {@code /v2/...}: {@code {"public":bool}} shares the team's
     * template with every team, which then boots it by its Wrenn id ({@code tpl-…}); another team's template is 404.
     */
    void update(Context ctx, Principal caller, boolean v2) {
        Boolean value = E2bJson.optionalBoolean(E2bJson.body(ctx), "public");
        Template template = value == null
                ? snapshots.requireOwn(caller.teamId(), ctx.pathParam("id"))
                : snapshots.setPublic(caller.teamId(), ctx.pathParam("id"), value);
        if (v2) {
            E2bJson.write(ctx, 200, Map.of("names", List.of(template.name(), template.id())));
        } else {
            ctx.status(200);
        }
    }
}
