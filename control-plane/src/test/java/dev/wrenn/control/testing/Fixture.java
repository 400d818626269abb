package dev.wrenn.control.testing;

import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.db.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One test invocation's database (and, when asked for, the app serving it), closed when the test ends. */
final class Fixture implements AutoCloseable {
    private final Database database;
    private final Path tempDir;
    private TestServer server;

    private Fixture(Database database, Path tempDir) {
        this.database = database;
        this.tempDir = tempDir;
    }

    static Fixture open(DatabaseKind kind, ExtensionContext context) {
        Path tempDir = createTempDir();
        try {
            DatabaseSettings settings = switch (kind) {
                case SQLITE -> new DatabaseSettings.Sqlite(tempDir.resolve("wrenn.db"));
                case POSTGRESQL -> SharedPostgres.cluster(context).newDatabase();
            };
            return new Fixture(Database.open(settings), tempDir);
        } catch (RuntimeException e) {
            PostgresCluster.deleteTree(tempDir);
            throw e;
        }
    }

    Database database() {
        return database;
    }

    synchronized TestServer server() {
        if (server == null) {
            server = TestServer.start(database, tempDir);
        }
        return server;
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            database.close();
            PostgresCluster.deleteTree(tempDir);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("wrenn-cp-test-");
        } catch (IOException e) {
            throw new UncheckedIOException("creating a temp dir for a test database", e);
        }
    }
}
