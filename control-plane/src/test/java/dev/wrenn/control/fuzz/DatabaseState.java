package dev.wrenn.control.fuzz;

import dev.wrenn.control.db.Database;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every row of every table of the control plane's SQLite database, as one comparable value: a refused request must
 * leave it unchanged. Columns that only record that a credential was used ({@code last_used_*}) are left out: using
 * a key is not a change the request made. The audit log is left out too: recording a refusal (a failed login) is
 * what it is for.
 */
final class DatabaseState {
    private DatabaseState() {}

    static Map<String, List<String>> of(Database database) {
        return database.jdbi().withHandle(handle -> {
            List<String> tables = handle.createQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                            + " AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'flyway%' AND name <> 'audit_log'")
                    .mapTo(String.class)
                    .list();
            Map<String, List<String>> state = new TreeMap<>();
            for (String table : tables) {
                state.put(
                        table,
                        handle
                                .createQuery("SELECT * FROM \"" + table + "\"")
                                .mapToMap()
                                .map(DatabaseState::withoutUseStamps)
                                .list()
                                .stream()
                                .sorted()
                                .toList());
            }
            return state;
        });
    }

    private static String withoutUseStamps(Map<String, Object> row) {
        return new TreeMap<>(row)
                .entrySet().stream()
                        .filter(column -> !column.getKey().startsWith("last_used"))
                        .map(column -> column.getKey() + "=" + column.getValue())
                        .collect(Collectors.joining(", ", "{", "}"));
    }
}
