package dev.wrenn.control.db;

import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
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
        try {
            database.jdbi()
                    .useHandle(h -> h.createUpdate("INSERT INTO templates (id, team_id, name, type, vcpus,"
                                    + " memory_mb, size_bytes, created_at) VALUES (:id, :team, :name, :type, :vcpus, :memory,"
                                    + " :size, :at)")
                            .bind("id", template.id())
                            .bind("team", template.teamId())
                            .bind("name", template.name())
                            .bind("type", template.type().wireName())
                            .bind("vcpus", template.vcpus())
                            .bind("memory", template.memoryMb())
                            .bind("size", template.sizeBytes())
                            .bind("at", SqlTime.toMillis(template.createdAt()))
                            .execute());
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

    public boolean delete(String teamId, String name) {
        return database.jdbi()
                        .withHandle(h -> h.createUpdate("DELETE FROM templates WHERE team_id = :team AND name = :name")
                                .bind("team", teamId)
                                .bind("name", name)
                                .execute())
                > 0;
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
                SqlTime.instant(rs, "created_at"));
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
