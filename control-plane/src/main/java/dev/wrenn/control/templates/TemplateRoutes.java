package dev.wrenn.control.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.control.api.AuthenticatedHandler;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.Template;
import dev.wrenn.control.db.TemplateBuild;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.sandboxes.SandboxSpec;
import dev.wrenn.control.snapshots.SnapshotService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The template build API with E2B's shapes, registered twice: at E2B's paths ({@code POST /v3/templates},
 * {@code /templates/{id}/…}, E2B's error body) and under {@code /v1/templates} (Wrenn's error body). Plus the one
 * route without credentials: {@code PUT /v1/templates/uploads/{hash}}, the signed upload URL the file route hands out.
 */
public final class TemplateRoutes {
    public static final String UPLOAD_PATH = "/v1/templates/uploads/";
    private static final ObjectMapper MAPPER = JsonBodies.newMapper();

    private final TemplateBuildService service;
    private final SnapshotService snapshots;

    public TemplateRoutes(TemplateBuildService service, SnapshotService snapshots) {
        this.service = service;
        this.snapshots = snapshots;
    }

    /** E2B's paths; {@code wrap} authenticates and renders errors in E2B's shape. */
    public void registerE2b(RoutesConfig routes, Function<AuthenticatedHandler, Handler> wrap) {
        // The literal paths first: Javalin serves the first route that matches, and "tags" would match "{id}".
        routes.post("/templates/tags", wrap.apply(this::assignTags));
        routes.delete("/templates/tags", wrap.apply(this::removeTags));
        routes.post("/v3/templates", wrap.apply(this::request));
        routes.get("/v2/templates", wrap.apply(this::list));
        routes.get("/templates/{id}", wrap.apply(this::detail));
        routes.delete("/templates/{id}", wrap.apply(this::delete));
        routes.get("/templates/{id}/files/{hash}", wrap.apply(this::fileLink));
        routes.post("/v2/templates/{id}/builds/{buildID}", wrap.apply(this::start));
        routes.get("/templates/{id}/builds/{buildID}/status", wrap.apply(this::status));
        routes.get("/templates/{id}/builds/{buildID}/logs", wrap.apply(this::logs));
        routes.get("/templates/{id}/tags", wrap.apply(this::tags));
    }

    /** The same under /v1, with Wrenn's authentication wrapper and error body, and the upload route. */
    public void registerV1(RoutesConfig routes, Function<AuthenticatedHandler, Handler> wrap) {
        routes.put(UPLOAD_PATH + "{hash}", this::upload);
        routes.post("/v1/templates/tags", wrap.apply(this::assignTags));
        routes.delete("/v1/templates/tags", wrap.apply(this::removeTags));
        routes.get("/v1/templates/aliases/{alias}", wrap.apply(this::alias));
        routes.post("/v1/templates", wrap.apply(this::request));
        routes.get("/v1/templates", wrap.apply(this::list));
        routes.get("/v1/templates/{id}", wrap.apply(this::detail));
        routes.delete("/v1/templates/{id}", wrap.apply(this::delete));
        routes.patch("/v1/templates/{id}", wrap.apply(this::update));
        routes.get("/v1/templates/{id}/files/{hash}", wrap.apply(this::fileLink));
        routes.post("/v1/templates/{id}/builds/{buildID}", wrap.apply(this::start));
        routes.get("/v1/templates/{id}/builds/{buildID}/status", wrap.apply(this::status));
        routes.get("/v1/templates/{id}/builds/{buildID}/logs", wrap.apply(this::logs));
        routes.get("/v1/templates/{id}/tags", wrap.apply(this::tags));
    }

    private void request(Context ctx, Principal caller) {
        JsonNode body = body(ctx);
        String name = text(body, "name");
        if (name == null) {
            name = text(body, "alias");
        }
        TemplateBuildService.Requested r = service.request(
                caller.teamId(), name, strings(body, "tags"), integer(body, "cpuCount"), integer(body, "memoryMB"));
        ctx.status(202).json(TemplateViews.requested(r));
    }

    private void list(Context ctx, Principal caller) {
        ctx.json(service.list(caller.teamId()).stream()
                .map(TemplateViews::template)
                .toList());
    }

    private void detail(Context ctx, Principal caller) {
        ctx.json(TemplateViews.withBuilds(service.detail(caller.teamId(), ctx.pathParam("id"))));
    }

    private void delete(Context ctx, Principal caller) {
        service.delete(caller.teamId(), ctx.pathParam("id"));
        ctx.status(204);
    }

    private void update(Context ctx, Principal caller) {
        JsonNode body = body(ctx);
        JsonNode value = body.get("public");
        if (value == null || !value.isBoolean()) {
            throw ApiException.invalid("field 'public' (true or false) is required");
        }
        Template t = snapshots.setPublic(caller.teamId(), ctx.pathParam("id"), value.asBoolean());
        ctx.json(Map.of("names", List.of(t.name())));
    }

    private void alias(Context ctx, Principal caller) {
        String alias = SandboxSpec.requireSafeName(ctx.pathParam("alias"));
        Template own = snapshots.list(caller.teamId()).stream()
                .filter(t -> t.name().equals(alias))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("template " + alias + " not found"));
        ctx.json(Map.of("templateID", own.id(), "public", own.isPublic()));
    }

    private void fileLink(Context ctx, Principal caller) {
        String hash = ctx.pathParam("hash");
        TemplateBuildService.FileLink link = service.fileLink(caller.teamId(), ctx.pathParam("id"), hash);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("present", link.present());
        if (!link.present()) {
            body.put("url", ctx.scheme() + "://" + ctx.host() + UPLOAD_PATH + hash + "?" + link.uploadQuery());
        }
        ctx.status(201).json(body);
    }

    /** No credentials: the signature in the query is the authority (see {@link ContextFiles}). */
    private void upload(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > service.files().maxBytes()) {
            throw new ApiException(
                    ErrorCode.TOO_LARGE,
                    "a build-context archive may be at most " + service.files().maxBytes() + " bytes");
        }
        long size = service.files()
                .upload(
                        ctx.queryParam("team"),
                        ctx.pathParam("hash"),
                        ctx.queryParam("expires"),
                        ctx.queryParam("signature"),
                        ctx.req().getInputStream());
        ctx.json(Map.of("size", size));
    }

    private void start(Context ctx, Principal caller) {
        service.start(caller.teamId(), ctx.pathParam("id"), ctx.pathParam("buildID"), body(ctx));
        ctx.status(202);
    }

    private void status(Context ctx, Principal caller) {
        ctx.json(TemplateViews.status(service.status(
                caller.teamId(),
                ctx.pathParam("id"),
                ctx.pathParam("buildID"),
                query(ctx, "logsOffset", 0),
                query(ctx, "limit", 100),
                ctx.queryParam("level"))));
    }

    private void logs(Context ctx, Principal caller) {
        String cursor = ctx.queryParam("cursor");
        Long from = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                from = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ApiException.invalid("cursor must be a time in milliseconds (got '" + cursor + "')");
            }
        }
        List<TemplateBuild.LogLine> lines = service.logs(
                caller.teamId(),
                ctx.pathParam("id"),
                ctx.pathParam("buildID"),
                from,
                query(ctx, "limit", 100),
                ctx.queryParam("direction"),
                ctx.queryParam("level"));
        ctx.json(Map.of("logs", lines.stream().map(TemplateViews::entry).toList()));
    }

    private void assignTags(Context ctx, Principal caller) {
        JsonNode body = body(ctx);
        List<String> tags = strings(body, "tags");
        TemplateBuild build = service.assignTags(caller.teamId(), text(body, "target"), tags);
        ctx.status(201).json(Map.of("tags", tags, "buildID", build.id()));
    }

    private void removeTags(Context ctx, Principal caller) {
        JsonNode body = body(ctx);
        service.removeTags(caller.teamId(), text(body, "name"), strings(body, "tags"));
        ctx.status(204);
    }

    private void tags(Context ctx, Principal caller) {
        ctx.json(service.tags(caller.teamId(), ctx.pathParam("id")).stream()
                .map(TemplateViews::tag)
                .toList());
    }

    private static JsonNode body(Context ctx) {
        byte[] bytes = JsonBodies.boundedBody(ctx);
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiException.invalid("the request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.invalid("invalid JSON body: " + e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static Integer integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.invalid("field '" + field + "' must be a whole number");
        }
        return v.asInt();
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.invalid("field '" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw ApiException.invalid("field '" + field + "' must be an array of strings");
            }
            out.add(item.asText());
        }
        if (out.size() > 50) {
            throw ApiException.invalid("field '" + field + "' may hold at most 50 entries");
        }
        return out;
    }

    private static int query(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name + " must be a whole number (got '" + value + "')");
        }
    }
}
