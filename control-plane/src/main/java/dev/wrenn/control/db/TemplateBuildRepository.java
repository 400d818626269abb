package dev.wrenn.control.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Template builds, their logs, the teams' uploaded build contexts and template tags (migration V25). */
public final class TemplateBuildRepository {
    private final Database database;

    public TemplateBuildRepository(Database database) {
        this.database = database;
    }

    public void insert(TemplateBuild b) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("INSERT INTO template_builds (id, template_id, team_id, name, status,"
                                + " vcpus, memory_mb, created_at, updated_at) VALUES (:id, :template, :team, :name,"
                                + " :status, :vcpus, :memory, :at, :at)")
                        .bind("id", b.id())
                        .bind("template", b.templateId())
                        .bind("team", b.teamId())
                        .bind("name", b.name())
                        .bind("status", b.status())
                        .bind("vcpus", b.vcpus())
                        .bind("memory", b.memoryMb())
                        .bind("at", SqlTime.toMillis(b.createdAt()))
                        .execute());
    }

    public Optional<TemplateBuild> find(String buildId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM template_builds WHERE id = :id")
                        .bind("id", buildId)
                        .map((rs, ctx) -> build(rs))
                        .findOne());
    }

    /** The team's builds of the template id, newest first. */
    public List<TemplateBuild> listForTemplate(String teamId, String templateId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM template_builds WHERE team_id = :team AND template_id ="
                                + " :template ORDER BY created_at DESC, id DESC")
                        .bind("team", teamId)
                        .bind("template", templateId)
                        .map((rs, ctx) -> build(rs))
                        .list());
    }

    /** The team's most recent build under this name, whatever its status. */
    public Optional<TemplateBuild> latestByName(String teamId, String name) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM template_builds WHERE team_id = :team AND name = :name"
                                + " ORDER BY created_at DESC, id DESC LIMIT 1")
                        .bind("team", teamId)
                        .bind("name", name)
                        .map((rs, ctx) -> build(rs))
                        .findOne());
    }

    /** The team's builds, newest first (one list for the console and /v2/templates). */
    public List<TemplateBuild> listForTeam(String teamId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM template_builds WHERE team_id = :team ORDER BY created_at DESC, id DESC")
                        .bind("team", teamId)
                        .map((rs, ctx) -> build(rs))
                        .list());
    }

    /** Builds in {@code status} on any team (the start-up sweep). */
    public List<TemplateBuild> listInStatus(String status) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM template_builds WHERE status = :status")
                        .bind("status", status)
                        .map((rs, ctx) -> build(rs))
                        .list());
    }

    /** Compare-and-set of the status; false if the build was not in {@code expected}. */
    public boolean updateStatus(
            String buildId, String expected, String status, String reason, String reasonStep, Instant at) {
        return database.jdbi()
                        .withHandle(h -> h.createUpdate("UPDATE template_builds SET status = :status, reason = :reason,"
                                        + " reason_step = :step, updated_at = :at, finished_at = :finished WHERE id ="
                                        + " :id AND status = :expected")
                                .bind("status", status)
                                .bind("reason", reason)
                                .bind("step", reasonStep)
                                .bind("at", SqlTime.toMillis(at))
                                .bind(
                                        "finished",
                                        status.equals(TemplateBuild.READY) || status.equals(TemplateBuild.ERROR)
                                                ? SqlTime.toMillis(at)
                                                : null)
                                .bind("id", buildId)
                                .bind("expected", expected)
                                .execute())
                > 0;
    }

    public void setSandbox(String buildId, String sandboxId) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("UPDATE template_builds SET sandbox_id = :sb WHERE id = :id")
                        .bind("sb", sandboxId)
                        .bind("id", buildId)
                        .execute());
    }

    /** Every build, log and tag of the team's template id. */
    public void deleteTemplate(String teamId, String templateId) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM template_build_logs WHERE build_id IN (SELECT id FROM template_builds WHERE"
                            + " team_id = :team AND template_id = :template)")
                    .bind("team", teamId)
                    .bind("template", templateId)
                    .execute();
            h.createUpdate("DELETE FROM template_builds WHERE team_id = :team AND template_id = :template")
                    .bind("team", teamId)
                    .bind("template", templateId)
                    .execute();
            h.createUpdate("DELETE FROM template_tags WHERE template_id = :template")
                    .bind("template", templateId)
                    .execute();
        });
    }

    public void appendLog(String buildId, TemplateBuild.LogLine line) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("INSERT INTO template_build_logs (build_id, seq, at, level, step,"
                                + " message) VALUES (:build, :seq, :at, :level, :step, :message)")
                        .bind("build", buildId)
                        .bind("seq", line.seq())
                        .bind("at", SqlTime.toMillis(line.at()))
                        .bind("level", line.level())
                        .bind("step", line.step())
                        .bind("message", line.message())
                        .execute());
    }

    public List<TemplateBuild.LogLine> logs(String buildId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM template_build_logs WHERE build_id = :build ORDER BY seq")
                        .bind("build", buildId)
                        .map((rs, ctx) -> new TemplateBuild.LogLine(
                                rs.getInt("seq"),
                                SqlTime.instant(rs, "at"),
                                rs.getString("level"),
                                rs.getString("step"),
                                rs.getString("message")))
                        .list());
    }

    public boolean hasFile(String teamId, String hash) {
        return database.jdbi()
                        .withHandle(h -> h.createQuery(
                                        "SELECT COUNT(*) FROM template_files WHERE team_id = :team AND hash ="
                                                + " :hash")
                                .bind("team", teamId)
                                .bind("hash", hash)
                                .mapTo(Integer.class)
                                .one())
                > 0;
    }

    /** Records an uploaded archive (after its bytes are durable); a second upload of the same hash keeps the first. */
    public void recordFile(String teamId, String hash, long size, Instant at) {
        database.jdbi().useTransaction(h -> {
            int present = h.createQuery("SELECT COUNT(*) FROM template_files WHERE team_id = :team AND hash = :hash")
                    .bind("team", teamId)
                    .bind("hash", hash)
                    .mapTo(Integer.class)
                    .one();
            if (present == 0) {
                h.createUpdate("INSERT INTO template_files (team_id, hash, size_bytes, created_at) VALUES (:team,"
                                + " :hash, :size, :at)")
                        .bind("team", teamId)
                        .bind("hash", hash)
                        .bind("size", size)
                        .bind("at", SqlTime.toMillis(at))
                        .execute();
            }
        });
    }

    /** Points {@code tag} of the template at the build (insert or move). */
    public void setTag(String templateId, String tag, String buildId, Instant at) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM template_tags WHERE template_id = :template AND tag = :tag")
                    .bind("template", templateId)
                    .bind("tag", tag)
                    .execute();
            h.createUpdate("INSERT INTO template_tags (template_id, tag, build_id, created_at) VALUES (:template, :tag,"
                            + " :build, :at)")
                    .bind("template", templateId)
                    .bind("tag", tag)
                    .bind("build", buildId)
                    .bind("at", SqlTime.toMillis(at))
                    .execute();
        });
    }

    public boolean deleteTag(String templateId, String tag) {
        return database.jdbi()
                        .withHandle(h -> h.createUpdate(
                                        "DELETE FROM template_tags WHERE template_id = :template AND tag = :tag")
                                .bind("template", templateId)
                                .bind("tag", tag)
                                .execute())
                > 0;
    }

    public List<TemplateBuild.Tag> tags(String templateId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM template_tags WHERE template_id = :template ORDER BY created_at, tag")
                        .bind("template", templateId)
                        .map((rs, ctx) -> new TemplateBuild.Tag(
                                rs.getString("tag"), rs.getString("build_id"), SqlTime.instant(rs, "created_at")))
                        .list());
    }

    /** The heartbeat of a build this process runs: a build whose heartbeat stops is failed by the sweep. */
    public void touch(String buildId, Instant at) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("UPDATE template_builds SET updated_at = :at WHERE id = :id AND status ="
                                + " 'building'")
                        .bind("at", SqlTime.toMillis(at))
                        .bind("id", buildId)
                        .execute());
    }

    /** Builds still marked building whose heartbeat is older than {@code before}: their control plane is gone. */
    public List<TemplateBuild> staleBuilding(Instant before) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM template_builds WHERE status = 'building' AND updated_at < :before")
                        .bind("before", SqlTime.toMillis(before))
                        .map((rs, ctx) -> build(rs))
                        .list());
    }

    private static TemplateBuild build(ResultSet rs) throws SQLException {
        return new TemplateBuild(
                rs.getString("id"),
                rs.getString("template_id"),
                rs.getString("team_id"),
                rs.getString("name"),
                rs.getString("status"),
                rs.getString("reason"),
                rs.getString("reason_step"),
                rs.getInt("vcpus"),
                rs.getInt("memory_mb"),
                rs.getString("sandbox_id"),
                SqlTime.instant(rs, "created_at"),
                SqlTime.instant(rs, "updated_at"),
                SqlTime.instant(rs, "finished_at"));
    }
}
