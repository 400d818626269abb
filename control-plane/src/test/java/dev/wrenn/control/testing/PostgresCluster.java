package dev.wrenn.control.testing;

import dev.wrenn.control.config.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster for the database tier: Debian's server binaries
 * ({@code /usr/lib/postgresql/<version>/bin}), a data directory under the temp dir, a free loopback port, trust
 * authentication, no fsync. Started as the {@code postgres} OS user when the tests run as root (PostgreSQL refuses
 * to run as root). {@link #close} stops it and deletes its directory.
 */
public final class PostgresCluster implements AutoCloseable {
    private static final String SUPERUSER = "wrenn";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final Path binDir;
    private final Path dir;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();
    private boolean stopped;

    private PostgresCluster(Path binDir, Path dir, int port) {
        this.binDir = binDir;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a cluster or fails with what is missing; never returns a cluster that does not answer. */
    public static PostgresCluster start() {
        Path binDir = findServerBinaries();
        Path dir = createOwnedTempDir();
        try {
            run(
                    binDir,
                    dir,
                    List.of(
                            "initdb",
                            "-D",
                            dir.resolve("data").toString(),
                            "-U",
                            SUPERUSER,
                            "-A",
                            "trust",
                            "-E",
                            "UTF8",
                            "--locale=C",
                            "--no-sync"));
            PostgresCluster cluster = new PostgresCluster(binDir, dir, freeLoopbackPort());
            cluster.startServer();
            return cluster;
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** A new, empty database in this cluster. */
    public DatabaseSettings.Postgres newDatabase() {
        String name = "wrenn_test_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "creating test database " + name + " on port " + port + ": " + e.getMessage(), e);
        }
        return new DatabaseSettings.Postgres(jdbcUrl(name), SUPERUSER, null);
    }

    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            run(binDir, dir, List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            deleteTree(dir);
        }
    }

    /** Stops the server (fast shutdown: open connections are cut) and keeps its data, for {@link #restart}. */
    public void stopServer() {
        run(binDir, dir, List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
    }

    /** Starts the stopped server again on the same port and data. */
    public void restart() {
        startServer();
    }

    private void startServer() {
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        run(
                binDir,
                dir,
                List.of(
                        "pg_ctl",
                        "-D",
                        dir.resolve("data").toString(),
                        "-l",
                        dir.resolve("server.log").toString(),
                        "-o",
                        options,
                        "-w",
                        "-t",
                        "60",
                        "start"));
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static Path findServerBinaries() {
        // Overridable only so that the tier's own failure message can be checked by hand.
        Path root = Path.of(System.getProperty("wrenn.test.postgres.root", "/usr/lib/postgresql"));
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(bin ->
                            Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresCluster::majorVersion))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL tier cannot run: no initdb/pg_ctl under"
                            + " /usr/lib/postgresql/<version>/bin; install Debian's 'postgresql' package"
                            + " (apt-get install postgresql)"));
        } catch (IOException e) {
            throw new UncheckedIOException("listing /usr/lib/postgresql", e);
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path createOwnedTempDir() {
        try {
            Path dir = Files.createTempDirectory("wrenn-pg-");
            if (runningAsRoot()) {
                UserPrincipal postgres =
                        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "PostgreSQL tier cannot run: preparing its directory failed (as root the"
                            + " 'postgres' OS user must exist; Debian's postgresql package creates it): " + e,
                    e);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("finding a free loopback port", e);
        }
    }

    /** Runs a PostgreSQL program, as the postgres user when we are root; fails with its output and the server log. */
    private static void run(Path binDir, Path dir, List<String> command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.add(binDir.resolve(command.getFirst()).toString());
        full.addAll(command.subList(1, command.size()));
        Path output = dir.resolve(command.getFirst() + ".out");
        try {
            Process process = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("PostgreSQL tier: " + command.getFirst() + " did not finish in "
                        + COMMAND_TIMEOUT_SECONDS + " s" + describe(dir, output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("PostgreSQL tier cannot run: " + String.join(" ", full) + " exited "
                        + process.exitValue() + describe(dir, output));
            }
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL tier cannot run: starting " + full + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
        }
    }

    private static String describe(Path dir, Path output) {
        return "\n--- output ---\n" + readQuietly(output) + "\n--- server.log ---\n"
                + readQuietly(dir.resolve("server.log"));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + dir, e);
        }
    }
}
