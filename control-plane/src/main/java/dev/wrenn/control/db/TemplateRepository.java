package dev.wrenn.control.db;

import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/** Templates, named per team. */
public final class TemplateRepository {
    private final Database database;

    public TemplateRepository(Database database) {
        this.database = database;
    }

    /** @throws ApiException {@link ErrorCode#ALREADY_EXISTS} if the team already has a template of this name */
    public void insert(Template template) {
        insert(template, h -> {});
    }

    /** As {@link #insert(Template)}; {@code alongside} writes in the same transaction (its audit line). */
    public void insert(Template template, Consumer<Handle> alongside) {
        try {
            database.jdbi().useTransaction(h -> {
                h.createUpdate("INSERT INTO templates (id, team_id, name, type, vcpus,"
                                + " memory_mb, size_bytes, created_at, is_public) VALUES (:id, :team, :name, :type,"
                                + " :vcpus, :memory, :size, :at, :public)")
                        .bind("id", template.id())
                        .bind("team", template.teamId())
                        .bind("name", template.name())
                        .bind("type", template.type().wireName())
                        .bind("vcpus", template.vcpus())
                        .bind("memory", template.memoryMb())
                        .bind("size", template.sizeBytes())
                        .bind("at", SqlTime.toMillis(template.createdAt()))
                        .bind("public", template.isPublic())
                        .execute();
                alongside.accept(h);
            });
        } catch (RuntimeException e) {
            if (database.dialect().isUniqueViolation(e)) {
                throw new ApiException(ErrorCode.ALREADY_EXISTS, "template " + template.name() + " already exists", e);
            }
            throw e;
        }
    }

    public Optional<Template> find(String teamId, String name) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM templates WHERE team_id = :team AND name = :name")
                        .bind("team", teamId)
                        .bind("name", name)
                        .map(TemplateRepository::template)
                        .findOne());
    }

    /** A template by its id, whoever owns it: callers decide who may use it ({@code TemplateAccess}). */
    public Optional<Template> findById(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM templates WHERE id = :id")
                        .bind("id", id)
                        .map(TemplateRepository::template)
                        .findOne());
    }

    /** A global base image (no owning team) by name. */
    public Optional<Template> findGlobal(String name) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM templates WHERE team_id IS NULL AND name = :name")
                        .bind("name", name)
                        .map(TemplateRepository::template)
                        .findOne());
    }

    /** Shares the team's template with every team, or stops sharing it; false if the team has no such template. */
    public boolean setPublic(String teamId, String name, boolean value) {
        return setPublic(teamId, name, value, h -> {});
    }

    /** As {@link #setPublic(String, String, boolean)}; {@code alongside} writes in the same transaction if changed. */
    public boolean setPublic(String teamId, String name, boolean value, Consumer<Handle> alongside) {
        return changed(
                alongside,
                h -> h.createUpdate("UPDATE templates SET is_public = :public WHERE team_id = :team AND name = :name")
                        .bind("public", value)
                        .bind("team", teamId)
                        .bind("name", name)
                        .execute());
    }

    private boolean changed(Consumer<Handle> alongside, ToIntFunction<Handle> change) {
        return database.jdbi().inTransaction(h -> {
            boolean changed = change.applyAsInt(h) > 0;
            if (changed) {
                alongside.accept(h);
            }
            return changed;
        });
    }

    /** The team's templates, optionally of one type, newest first. */
    public List<Template> listForTeam(String teamId, TemplateType typeOrNull) {
        return database.jdbi().withHandle(h -> {
            Query query = h.createQuery("SELECT * FROM templates WHERE team_id = :team"
                            + (typeOrNull == null ? "" : " AND type = :type") + " ORDER BY created_at DESC, id DESC")
                    .bind("team", teamId);
            if (typeOrNull != null) {
                query.bind("type", typeOrNull.wireName());
            }
            return query.map(TemplateRepository::template).list();
        });
    }

    /** After an overwrite: the row of the same id takes the new snapshot's shape, size and creation time. */
    public void replace(Template template) {
        replace(template, h -> {});
    }

    /** As {@link #replace(Template)}; {@code alongside} writes in the same transaction (its audit line). */
    public void replace(Template template, Consumer<Handle> alongside) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("UPDATE templates SET vcpus = :vcpus, memory_mb = :memory,"
                            + " size_bytes = :size, created_at = :at WHERE id = :id")
                    .bind("id", template.id())
                    .bind("vcpus", template.vcpus())
                    .bind("memory", template.memoryMb())
                    .bind("size", template.sizeBytes())
                    .bind("at", SqlTime.toMillis(template.createdAt()))
                    .execute();
            alongside.accept(h);
        });
    }

    public boolean delete(String teamId, String name) {
        return delete(teamId, name, h -> {});
    }

    /** As {@link #delete(String, String)}; {@code alongside} writes in the same transaction if a row was deleted. */
    public boolean delete(String teamId, String name, Consumer<Handle> alongside) {
        return changed(
                alongside,
                h -> h.createUpdate("DELETE FROM templates WHERE team_id = :team AND name = :name")
                        .bind("team", teamId)
                        .bind("name", name)
                        .execute());
    }

    private static Template template(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Template(
                rs.getString("id"),
                rs.getString("team_id"),
                rs.getString("name"),
                TemplateType.fromWire(rs.getString("type")),
                nullableInt(rs, "vcpus"),
                nullableInt(rs, "memory_mb"),
                rs.getLong("size_bytes"),
                SqlTime.instant(rs, "created_at"),
                rs.getBoolean("is_public"));
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
