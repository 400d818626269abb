package dev.wrenn.control.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.testing.OnBothDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @OnBothDatabases
    void theSchemaHasEveryTable(Database database) {
        List<String> tables = List.of("users", "teams", "users_teams", "team_api_keys", "sandboxes", "templates");
        for (String table : tables) {
            int rows = database.jdbi()
                    .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table)
                            .mapTo(Integer.class)
                            .one());
            assertThat(rows).as(table).isZero();
        }
        assertThat(database.isReachable()).isTrue();
    }

    @OnBothDatabases
    void foreignKeysAreEnforced(Database database) {
        boolean refused;
        try {
            database.jdbi()
                    .useHandle(h -> h.execute("INSERT INTO users_teams (user_id, team_id, created_at)"
                            + " VALUES ('usr-missing', 'team-missing', 0)"));
            refused = false;
        } catch (RuntimeException e) {
            refused = true;
        }
        assertThat(refused)
                .as("a membership of a missing user in a missing team is refused")
                .isTrue();
    }

    @Test
    void reopeningASqliteDatabaseKeepsItsDataAndMigratesNothingTwice(@TempDir Path dir) {
        DatabaseSettings settings = new DatabaseSettings.Sqlite(dir.resolve("sub/wrenn.db"));
        try (Database first = Database.open(settings)) {
            first.jdbi()
                    .useHandle(h -> h.execute("INSERT INTO teams (id, name, created_at) VALUES ('team-1', 'x', 1)"));
        }
        try (Database second = Database.open(settings)) {
            String name = second.jdbi()
                    .withHandle(h -> h.createQuery("SELECT name FROM teams")
                            .mapTo(String.class)
                            .one());
            assertThat(name).isEqualTo("x");
            String journal = second.jdbi()
                    .withHandle(h -> h.createQuery("PRAGMA journal_mode")
                            .mapTo(String.class)
                            .one());
            assertThat(journal).isEqualToIgnoringCase("wal");
        }
        assertThat(Files.exists(dir.resolve("sub/wrenn.db"))).isTrue();
    }
}
