package dev.wrenn.control.templates;

import dev.wrenn.control.db.Template;
import dev.wrenn.control.db.TemplateBuild;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** E2B's JSON shapes of templates, builds, logs and tags (e2b-dev/infra spec/openapi.yml); /v1 answers the same. */
public final class TemplateViews {
    /** The envd version Wrenn's guest agent reports. */
    static final String ENVD_VERSION = "0.6.13";

    private TemplateViews() {}

    /** {@code TemplateRequestResponseV3}. */
    public static Map<String, Object> requested(TemplateBuildService.Requested r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("templateID", r.templateId());
        m.put("buildID", r.buildId());
        m.put("public", r.isPublic());
        m.put("names", List.of(r.name()));
        m.put("aliases", List.of(r.name()));
        m.put("tags", r.tags());
        return m;
    }

    /** {@code Template} (the list). */
    public static Map<String, Object> template(TemplateBuildService.Listed t) {
        TemplateBuild latest = t.latest();
        TemplateBuild ready = t.lastReady();
        Template row = t.row();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("templateID", t.templateId());
        m.put("buildID", ready != null ? ready.id() : "");
        m.put("cpuCount", row != null && row.vcpus() != null ? row.vcpus() : latest != null ? latest.vcpus() : 1);
        m.put(
                "memoryMB",
                row != null && row.memoryMb() != null ? row.memoryMb() : latest != null ? latest.memoryMb() : 512);
        m.put("diskSizeMB", row != null ? row.sizeBytes() / (1024 * 1024) : 0);
        m.put("public", row != null && row.isPublic());
        m.put("aliases", List.of(t.name()));
        m.put("names", List.of(t.name()));
        m.put("createdAt", time(created(t)));
        m.put("updatedAt", time(latest != null ? latest.updatedAt() : created(t)));
        m.put("createdBy", null);
        m.put("lastSpawnedAt", null);
        m.put("spawnCount", 0);
        m.put("buildCount", t.builds().size());
        m.put("envdVersion", ENVD_VERSION);
        m.put("buildStatus", row != null ? TemplateBuild.READY : latest != null ? latest.status() : "ready");
        return m;
    }

    /** {@code TemplateWithBuilds} (one template's detail). */
    public static Map<String, Object> withBuilds(TemplateBuildService.Listed t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("templateID", t.templateId());
        m.put("public", t.row() != null && t.row().isPublic());
        m.put("aliases", List.of(t.name()));
        m.put("names", List.of(t.name()));
        m.put("createdAt", time(created(t)));
        m.put("updatedAt", time(t.latest() != null ? t.latest().updatedAt() : created(t)));
        m.put("lastSpawnedAt", null);
        m.put("spawnCount", 0);
        List<Map<String, Object>> builds = new ArrayList<>();
        for (TemplateBuild b : t.builds()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("buildID", b.id());
            v.put("status", b.status());
            v.put("createdAt", time(b.createdAt()));
            v.put("updatedAt", time(b.updatedAt()));
            if (b.finishedAt() != null) {
                v.put("finishedAt", time(b.finishedAt()));
            }
            v.put("cpuCount", b.vcpus());
            v.put("memoryMB", b.memoryMb());
            v.put("envdVersion", ENVD_VERSION);
            if (b.reason() != null) {
                v.put("reason", b.reason());
            }
            builds.add(v);
        }
        m.put("builds", builds);
        return m;
    }

    /** {@code TemplateBuildInfo}. */
    public static Map<String, Object> status(TemplateBuildService.Status s) {
        TemplateBuild b = s.build();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("templateID", b.templateId());
        m.put("buildID", b.id());
        m.put("status", b.status());
        m.put("logs", s.logs().stream().map(TemplateViews::plain).toList());
        m.put("logEntries", s.logs().stream().map(TemplateViews::entry).toList());
        if (b.status().equals(TemplateBuild.ERROR)) {
            Map<String, Object> reason = new LinkedHashMap<>();
            reason.put("message", b.reason() == null ? "the build failed" : b.reason());
            if (b.reasonStep() != null) {
                reason.put("step", b.reasonStep());
            }
            reason.put(
                    "logEntries",
                    s.reasonLogs().stream().map(TemplateViews::entry).toList());
            m.put("reason", reason);
        }
        return m;
    }

    /** {@code BuildLogEntry}. */
    public static Map<String, Object> entry(TemplateBuild.LogLine l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", time(l.at()));
        m.put("level", l.level());
        m.put("message", l.message());
        if (l.step() != null) {
            m.put("step", l.step());
        }
        return m;
    }

    public static Map<String, Object> tag(TemplateBuild.Tag t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", t.tag());
        m.put("buildID", t.buildId());
        m.put("createdAt", time(t.createdAt()));
        return m;
    }

    private static String plain(TemplateBuild.LogLine l) {
        return "[" + time(l.at()) + "] " + l.message();
    }

    private static Instant created(TemplateBuildService.Listed t) {
        if (!t.builds().isEmpty()) {
            return t.builds().getLast().createdAt();
        }
        return t.row() != null ? t.row().createdAt() : Instant.EPOCH;
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
