package io.rtx.connect.copysink;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL + TimescaleDB cluster for one test class: initdb into a temporary directory (as user
 * {@code postgres} when running as root), a free port on 127.0.0.1, database {@value #DATABASE} with the
 * timescaledb extension and the project's migrations ({@code infra/sql/V*.sql}); stopped and deleted afterwards.
 * Durability is off (fsync, full_page_writes): nothing here outlives the test.
 *
 * <p>Kept in this one class so it can be swapped for the project's shared test kit. Register it with
 * {@code @RegisterExtension static final PostgresServerExtension PG = new PostgresServerExtension();}.
 */
public final class PostgresServerExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String DATABASE = "rtx";
    public static final String USER = "postgres";
    public static final String PASSWORD = "copy-sink-it";

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private Path home;
    private Path data;
    private Path bin;
    private int port;
    private final Thread shutdownHook = new Thread(() -> asPostgres(bin.resolve("pg_ctl").toString(), "-D",
            data.toString(), "-m", "immediate", "stop"));

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path repo = repoRoot();
        bin = Path.of(runCapture(List.of(repo.resolve("infra/scripts/pg-bindir.sh").toString())).strip());
        home = Files.createTempDirectory("rtx-copy-sink-pg-");
        data = home.resolve("data");
        Path pwfile = Files.writeString(home.resolve("pwfile"), PASSWORD + "\n");
        if (ROOT) {
            UserPrincipal postgres = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(home, postgres);
            Files.setOwner(pwfile, postgres);
        }
        asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "# rtx-copy-sink integration tests",
                "port = " + port,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + home + "'",
                "shared_preload_libraries = 'timescaledb'",
                "timescaledb.telemetry_level = off",
                "max_connections = 20",
                "shared_buffers = '64MB'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "lc_messages = 'C'",
                ""), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Runtime.getRuntime().addShutdownHook(shutdownHook); // a test JVM killed mid-run leaves no server behind
        start();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + DATABASE);
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            try (Stream<Path> files = Files.list(repo.resolve("infra/sql"))) {
                for (Path f : files.filter(p -> p.getFileName().toString().matches("V.*\\.sql")).sorted().toList()) {
                    st.execute(Files.readString(f));
                }
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (home == null) {
            return;
        }
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            }
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** JDBC URL of the test database. */
    public String jdbcUrl() {
        return url(DATABASE);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    /** Starts the server (again, after {@link #stop}), on the same port with the same data. */
    public void start() {
        Path log = data.resolve("server.log");
        try {
            asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60",
                    "start");
        } catch (IllegalStateException e) {
            String serverLog;
            try {
                serverLog = Files.readString(log);
            } catch (IOException unreadable) {
                serverLog = "(no server log: " + unreadable + ")";
            }
            throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + serverLog, e);
        }
    }

    /** Stops the server, disconnecting every client (shutdown mode fast). */
    public void stop() {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void asPostgres(String... command) {
        List<String> cmd = new ArrayList<>();
        if (ROOT) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        runCapture(cmd);
    }

    /** Runs a command to completion, output into a file (no pipe a forked server could hold open). */
    private String runCapture(List<String> cmd) {
        try {
            Path out = Files.createTempFile("rtx-copy-sink-cmd-", ".log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out: " + cmd);
                }
                String output = Files.readString(out);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(cmd + " exited with " + p.exitValue() + ":\n" + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repository root: the nearest directory upwards holding infra/sql. */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra/sql"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no infra/sql above " + Path.of("").toAbsolutePath());
    }
}
