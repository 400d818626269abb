package dev.wrenn.control.enrollment;

import dev.wrenn.control.db.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code enrollment_tokens} and {@code hosts} rows. */
final class EnrollmentRepository {
    private final Database database;

    EnrollmentRepository(Database database) {
        this.database = database;
    }

    record TokenRow(String id, String secretHash, String hostName, Instant expiresAt, Instant usedAt) {}

    void insertToken(String id, String secretHash, String hostName, Instant createdAt, Instant expiresAt) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("INSERT INTO enrollment_tokens (id, secret_hash, host_name, created_at,"
                                + " expires_at) VALUES (:id, :hash, :host, :created, :expires)")
                        .bind("id", id)
                        .bind("hash", secretHash)
                        .bind("host", hostName)
                        .bind("created", createdAt.toEpochMilli())
                        .bind("expires", expiresAt.toEpochMilli())
                        .execute());
    }

    Optional<TokenRow> findToken(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM enrollment_tokens WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> {
                            long used = rs.getLong("used_at");
                            Instant usedAt = rs.wasNull() ? null : Instant.ofEpochMilli(used);
                            return new TokenRow(
                                    rs.getString("id"),
                                    rs.getString("secret_hash"),
                                    rs.getString("host_name"),
                                    Instant.ofEpochMilli(rs.getLong("expires_at")),
                                    usedAt);
                        })
                        .findOne());
    }

    /** Marks the token used if it is still unused and unexpired; false when another request spent it first. */
    boolean spend(String id, Instant now) {
        return database.jdbi()
                        .withHandle(h -> h.createUpdate("UPDATE enrollment_tokens SET used_at = :now WHERE id = :id"
                                        + " AND used_at IS NULL AND expires_at > :now")
                                .bind("id", id)
                                .bind("now", now.toEpochMilli())
                                .execute())
                == 1;
    }

    void registerHost(EnrolledHost host) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM hosts WHERE name = :name")
                    .bind("name", host.name())
                    .execute();
            h.createUpdate("INSERT INTO hosts (name, cert_serial, not_after, enrolled_at)"
                            + " VALUES (:name, :serial, :notAfter, :at)")
                    .bind("name", host.name())
                    .bind("serial", host.certSerial())
                    .bind("notAfter", host.notAfter().toEpochMilli())
                    .bind("at", host.enrolledAt().toEpochMilli())
                    .execute();
        });
    }

    List<EnrolledHost> hosts() {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM hosts ORDER BY name")
                        .map((rs, ctx) -> new EnrolledHost(
                                rs.getString("name"),
                                rs.getString("cert_serial"),
                                Instant.ofEpochMilli(rs.getLong("not_after")),
                                Instant.ofEpochMilli(rs.getLong("enrolled_at"))))
                        .list());
    }
}
