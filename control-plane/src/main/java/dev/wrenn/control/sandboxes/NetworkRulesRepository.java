package dev.wrenn.control.sandboxes;

import dev.wrenn.control.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The {@code sandbox_network} table: each sandbox's egress rules; no row means {@link NetworkRules#UNSET}. */
public final class NetworkRulesRepository {
    private final Database database;

    public NetworkRulesRepository(Database database) {
        this.database = database;
    }

    /** Inside the caller's transaction (the create's, so the rules commit with the sandbox row). */
    static void save(Handle h, String sandboxId, NetworkRules rules) {
        h.createUpdate("INSERT INTO sandbox_network (sandbox_id, allow_internet_access, allow_out, deny_out)"
                        + " VALUES (:id, :internet, :allow, :deny) ON CONFLICT (sandbox_id)"
                        + " DO UPDATE SET allow_internet_access = :internet, allow_out = :allow, deny_out = :deny")
                .bind("id", sandboxId)
                .bind("internet", rules.allowInternetAccess() == null ? null : rules.allowInternetAccess() ? 1 : 0)
                .bind("allow", String.join(",", rules.allowOut()))
                .bind("deny", String.join(",", rules.denyOut()))
                .execute();
    }

    void save(String sandboxId, NetworkRules rules) {
        database.jdbi().useHandle(h -> save(h, sandboxId, rules));
    }

    public NetworkRules find(String sandboxId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM sandbox_network WHERE sandbox_id = :id")
                        .bind("id", sandboxId)
                        .map((rs, ctx) -> rules(rs))
                        .findOne()
                        .orElse(NetworkRules.UNSET));
    }

    private static NetworkRules rules(ResultSet rs) throws SQLException {
        int internet = rs.getInt("allow_internet_access");
        Boolean allowInternet = rs.wasNull() ? null : internet == 1;
        return new NetworkRules(allowInternet, split(rs.getString("allow_out")), split(rs.getString("deny_out")));
    }

    private static List<String> split(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
    }
}
