package dev.wrenn.control.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wrenn.control.config.DatabaseSettings;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The control plane's database: a connection pool, JDBI over it, and the schema brought up to date by Flyway on
 * open. The same migrations run on SQLite and PostgreSQL.
 */
public final class Database implements AutoCloseable {
    private static final int SQLITE_POOL_SIZE = 4;
    private static final int POSTGRES_POOL_SIZE = 10;
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
    /**
     * How long a request waits for a PostgreSQL connection (Hikari's default is 30 s): while the server is down or
     * restarting, requests fail with a 503 after this instead of piling up for half a minute each.
     */
    private static final long POSTGRES_CONNECTION_TIMEOUT_MS = DatabaseOutage.RETRY_AFTER_SECONDS * 1000;

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens the pool and migrates the schema; fails with the database's own message if either cannot be done. */
    public static Database open(DatabaseSettings settings) {
        HikariDataSource pool = switch (settings) {
            case DatabaseSettings.Sqlite sqlite -> sqlitePool(sqlite.file());
            case DatabaseSettings.Postgres postgres -> postgresPool(postgres);
        };
        Dialect dialect = settings instanceof DatabaseSettings.Sqlite ? Dialect.SQLITE : Dialect.POSTGRESQL;
        try {
            migrate(pool);
            return new Database(pool, dialect);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Whether a query can be run right now; for health checks. */
    public boolean isReachable() {
        try {
            return jdbi.withHandle(
                            h -> h.createQuery("SELECT 1").mapTo(Integer.class).one())
                    == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Gauges of the connection pool, for {@code /metrics}. */
    public MeterBinder poolMetrics() {
        return new PoolMetrics(dataSource.getPoolName(), dataSource.getHikariPoolMXBean());
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    private static HikariDataSource sqlitePool(Path file) {
        createParent(file);
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        sqlite.enforceForeignKeys(true);
        // Transactions take the write lock when they begin. A deferred transaction that reads first and writes later
        // can fail at once with SQLITE_BUSY under concurrent writers, without waiting for busy_timeout.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource source = new SQLiteDataSource(sqlite);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        HikariConfig config = new HikariConfig();
        config.setDataSource(source);
        config.setPoolName("wrenn-sqlite");
        config.setMaximumPoolSize(SQLITE_POOL_SIZE);
        return new HikariDataSource(config);
    }

    private static HikariDataSource postgresPool(DatabaseSettings.Postgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        if (postgres.user() != null) {
            config.setUsername(postgres.user());
        }
        if (postgres.password() != null) {
            config.setPassword(postgres.password());
        }
        config.setPoolName("wrenn-postgresql");
        config.setConnectionTimeout(POSTGRES_CONNECTION_TIMEOUT_MS);
        config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        return new HikariDataSource(config);
    }

    private static void createParent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("creating the directory of the SQLite database " + file, e);
        }
    }
}
