package dev.wrenn.sdk;

import dev.wrenn.sdk.internal.Json;
import dev.wrenn.sdk.internal.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The templates of the caller's team: list and delete. On Wrenn these are its built-in images and the team's
 * snapshots ({@code GET /v1/snapshots}); on E2B, {@code GET /templates}. Building a template from a Dockerfile is
 * E2B's Template API, which Wrenn does not serve yet: see the SDK's README for what {@code wrenn template build}
 * does meanwhile.
 */
public final class Templates {
    private Templates() {}

    /** Every template the team can start sandboxes from. {@code config} null: from the environment. */
    public static List<TemplateInfo> list(ConnectionConfig config) {
        Transport transport = Sandbox.transport(config);
        List<TemplateInfo> out = new ArrayList<>();
        if (transport.config().isWrenn()) {
            for (Object o : transport
                    .api("GET", "/v1/snapshots", null, "list templates")
                    .array()) {
                Map<String, Object> t = Sandbox.object(o);
                out.add(new TemplateInfo(
                        Json.string(t, "name"),
                        Json.string(t, "type"),
                        (int) Json.number(t, "vcpus", 0),
                        (int) Json.number(t, "memory_mb", Json.number(t, "memoryMb", 0)),
                        Json.number(t, "size_bytes", Json.number(t, "sizeBytes", 0)),
                        SandboxInfo.instant(Json.string(t, t.containsKey("created_at") ? "created_at" : "createdAt"))));
            }
            return out;
        }
        for (Object o :
                transport.api("GET", "/templates", null, "list templates").array()) {
            Map<String, Object> t = Sandbox.object(o);
            Object aliases = t.get("aliases");
            String name = aliases instanceof List && !((List<?>) aliases).isEmpty()
                    ? String.valueOf(((List<?>) aliases).get(0))
                    : Json.string(t, "templateID");
            out.add(new TemplateInfo(
                    name,
                    "template",
                    (int) Json.number(t, "cpuCount", 0),
                    (int) Json.number(t, "memoryMB", 0),
                    0,
                    SandboxInfo.instant(Json.string(t, "createdAt"))));
        }
        return out;
    }

    /** Deletes a template (or snapshot) by name or id; false if there was none. */
    public static boolean delete(String name, ConnectionConfig config) {
        return Sandbox.deleteSnapshot(name, config);
    }
}
