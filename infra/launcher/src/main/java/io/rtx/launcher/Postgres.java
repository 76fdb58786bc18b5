package io.rtx.launcher;

import io.rtx.schemas.Component;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The stack's own PostgreSQL cluster (never the distribution's default one): created with {@code
 * initdb} under the home, configured for TimescaleDB, pg_cron and logical decoding, run as the OS
 * user {@code postgres} when we are root; then bootstrapped: the platform's role and database, the
 * extensions, and the migrations in {@code infra/sql} applied by Flyway as the platform's role.
 */
final class Postgres {

  static final String NAME = "postgres";

  private final StackSettings settings;
  private final Processes processes;
  private Path bindir;

  Postgres(StackSettings settings, Processes processes) {
    this.settings = settings;
    this.processes = processes;
  }

  private Path dataDir() {
    return settings.data(Component.POSTGRES);
  }

  /** The bin directory of the newest installed PostgreSQL that has TimescaleDB. */
  Path bindir() {
    if (bindir == null) {
      bindir = findBindir();
    }
    return bindir;
  }

  private static Path findBindir() {
    List<Path> configs = new ArrayList<>();
    String env = System.getenv("PG_CONFIG");
    if (env != null) {
      configs.add(Path.of(env));
    }
    for (String parent : List.of("/usr/lib/postgresql", "/usr")) {
      String glob = parent.equals("/usr") ? "pgsql-*" : "*";
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of(parent), glob)) {
        dirs.forEach(d -> configs.add(d.resolve("bin/pg_config")));
      } catch (IOException e) {
        // no such layout on this system
      }
    }
    Path best = null;
    int bestMajor = 0;
    for (Path config : configs) {
      if (!Files.isExecutable(config)) {
        continue;
      }
      try {
        String libdir =
            Processes.run(
                    List.of(config.toString(), "--pkglibdir"),
                    Map.of(),
                    null,
                    Duration.ofSeconds(10))
                .strip();
        Path bin =
            Path.of(
                Processes.run(
                        List.of(config.toString(), "--bindir"),
                        Map.of(),
                        null,
                        Duration.ofSeconds(10))
                    .strip());
        String version =
            Processes.run(
                List.of(config.toString(), "--version"), Map.of(), null, Duration.ofSeconds(10));
        int major = Integer.parseInt(version.replaceAll("^PostgreSQL (\\d+).*$", "$1").strip());
        if (Files.isRegularFile(Path.of(libdir, "timescaledb.so"))
            && Files.isExecutable(bin.resolve("initdb"))
            && major > bestMajor) {
          best = bin;
          bestMajor = major;
        }
      } catch (RuntimeException e) {
        // a broken installation is not a candidate
      }
    }
    if (best == null) {
      throw new StackException(
          "no PostgreSQL with TimescaleDB found: run ./rtx install (as root), or install PostgreSQL"
              + " 15-17 with TimescaleDB and set PG_CONFIG to its pg_config");
    }
    return best;
  }

  private String bin(String tool) {
    return bindir().resolve(tool).toString();
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** PostgreSQL refuses to run as root: its tools run as the OS user {@code postgres}. */
  private List<String> asPostgres(String... command) {
    List<String> cmd = new ArrayList<>();
    if (root()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(command));
    return cmd;
  }

  /** The server's socket directory: its own, and no one else's to enter. */
  private Path socketDir() {
    return settings.run().resolve("pg");
  }

  void start() {
    try {
      Files.createDirectories(settings.logs());
      Files.createDirectories(socketDir());
      Files.setPosixFilePermissions(socketDir(), PosixFilePermissions.fromString("rwx------"));
      giveToPostgres(socketDir());
      if (!Files.isRegularFile(dataDir().resolve("PG_VERSION"))) {
        initdb();
      }
      writeConfig();
      Path log = settings.log(NAME);
      if (!Files.exists(log)) {
        Files.createFile(log);
      }
      giveToPostgres(log);
      Processes.run(
          asPostgres(
              bin("pg_ctl"),
              "-D",
              dataDir().toString(),
              "-l",
              log.toString(),
              "-w",
              "-t",
              "60",
              "-o",
              "-p " + settings.port(Component.POSTGRES) + " -k " + socketDir(),
              "start"),
          Map.of(),
          null,
          Duration.ofSeconds(90));
      // pg_ctl daemonizes the server; the postmaster's pid is the first line of its pid file.
      String pid = Files.readAllLines(dataDir().resolve("postmaster.pid")).get(0).strip();
      processes.writePid(NAME, Long.parseLong(pid));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (StackException e) {
      throw new StackException(
          "PostgreSQL did not start, see " + settings.log(NAME) + "\n" + e.getMessage(), e);
    }
  }

  private void initdb() throws IOException {
    Files.createDirectories(dataDir());
    Files.setPosixFilePermissions(dataDir(), PosixFilePermissions.fromString("rwx------"));
    giveToPostgres(dataDir());
    Processes.run(
        asPostgres(
            bin("initdb"),
            "-D",
            dataDir().toString(),
            "-U",
            "postgres",
            "--auth-local=peer",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8"),
        Map.of(),
        null,
        Duration.ofMinutes(2));
  }

  /**
   * Our settings live in rtx.conf and pg_hba.conf, rewritten at every start so a change takes
   * effect (a cluster made before a change is closed by the next start too).
   */
  private void writeConfig() throws IOException {
    Path conf = dataDir().resolve("postgresql.conf");
    String include = "include_if_exists = 'rtx.conf'";
    if (!Files.readString(conf).contains(include)) {
      Files.writeString(conf, include + "\n", java.nio.file.StandardOpenOption.APPEND);
    }
    Path rtx = dataDir().resolve("rtx.conf");
    Files.writeString(
        rtx,
        String.join(
            "\n",
            "shared_preload_libraries = 'timescaledb,pg_cron'",
            "timescaledb.telemetry_level = off",
            "cron.database_name = '" + settings.pgDatabase() + "'",
            "cron.use_background_workers = on",
            "max_worker_processes = 32",
            "wal_level = logical",
            "max_replication_slots = 10",
            "max_wal_senders = 10",
            "max_connections = 200",
            "listen_addresses = '" + StackSettings.HOST + "'",
            "unix_socket_permissions = 0700",
            "password_encryption = 'scram-sha-256'",
            ""));
    Path hba = dataDir().resolve("pg_hba.conf");
    Files.writeString(
        hba,
        String.join(
            "\n",
            "# Written by the rtx launcher at every start. No trust anywhere: the OS user that runs",
            "# the cluster is the superuser over the socket (peer); everyone else gives a password.",
            "local   all          postgres                 peer",
            "local   all          all                      scram-sha-256",
            "host    all          all        127.0.0.1/32  scram-sha-256",
            "host    replication  "
                + Secrets.Role.CDC.roleName()
                + "    127.0.0.1/32  scram-sha-256",
            ""));
    giveToPostgres(rtx);
    giveToPostgres(hba);
  }

  private void giveToPostgres(Path path) throws IOException {
    if (root()) {
      UserPrincipal postgres =
          path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(path, postgres);
    }
  }

  boolean healthy() {
    try {
      Processes.run(
          List.of(
              bin("pg_isready"),
              "-q",
              "-h",
              StackSettings.HOST,
              "-p",
              Integer.toString(settings.port(Component.POSTGRES))),
          Map.of(),
          null,
          Duration.ofSeconds(5));
      return true;
    } catch (StackException e) {
      return false;
    }
  }

  void stop() {
    if (processes.running(NAME)) {
      Processes.run(
          asPostgres(bin("pg_ctl"), "-D", dataDir().toString(), "-m", "fast", "-w", "stop"),
          Map.of(),
          null,
          Duration.ofSeconds(90));
    }
    processes.forget(NAME);
  }

  /**
   * Runs SQL as the cluster's superuser, as the OS user that runs the cluster over its own socket
   * (peer); the SQL goes in on stdin, never on a command line.
   */
  String admin(String database, String sql) {
    return Processes.run(
        asPostgres(
            bin("psql"),
            "-h",
            socketDir().toString(),
            "-p",
            Integer.toString(settings.port(Component.POSTGRES)),
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-qtA",
            "-f",
            "-"),
        Map.of("PGOPTIONS", "-c client_min_messages=warning"),
        sql,
        Duration.ofMinutes(2));
  }

  /** A SQL string literal of {@code value} (standard_conforming_strings is on). */
  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /**
   * The bootstrap only the cluster's owner can do: the roles (with their passwords), the database,
   * the extensions that need a superuser. Names are checked identifiers; passwords are literals.
   */
  String rolesSql() {
    Secrets secrets = settings.secrets();
    StringBuilder sql = new StringBuilder();
    role(
        sql,
        settings.pgUser(),
        "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION",
        secrets.owner());
    role(sql, Secrets.Role.CDC.roleName(), "LOGIN REPLICATION", secrets.password(Secrets.Role.CDC));
    for (Secrets.Role r :
        List.of(
            Secrets.Role.SINK,
            Secrets.Role.BACKOFFICE,
            Secrets.Role.TRADER,
            Secrets.Role.READONLY,
            Secrets.Role.MONITOR)) {
      role(sql, r.roleName(), "LOGIN NOREPLICATION", secrets.password(r));
    }
    // The exporter reads statistics through pg_monitor (pg_stat_*, pg_replication_slots), no data.
    sql.append("GRANT pg_monitor TO ").append(Secrets.Role.MONITOR.roleName()).append(";\n");
    // pg_cron's workers log in as the job's user; with no password nobody else can.
    role(sql, MAINTENANCE, "LOGIN NOREPLICATION", null);
    String db = settings.pgDatabase();
    sql.append("SELECT format('CREATE DATABASE %I OWNER %I', ")
        .append(literal(db))
        .append(", ")
        .append(literal(settings.pgUser()))
        .append(")\n")
        .append("  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = ")
        .append(literal(db))
        .append(") \\gexec\n");
    return sql.toString();
  }

  static final String MAINTENANCE = "rtx_maintenance";

  private static void role(StringBuilder sql, String name, String attributes, String password) {
    String pw = password == null ? "NULL" : literal(password);
    sql.append("SELECT format('CREATE ROLE %I', ")
        .append(literal(name))
        .append(")\n")
        .append("  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ")
        .append(literal(name))
        .append(") \\gexec\n")
        .append("SELECT format('ALTER ROLE %I ")
        .append(attributes)
        .append(" PASSWORD %L', ")
        .append(literal(name))
        .append(", ")
        .append(pw)
        .append(") \\gexec\n");
  }

  /** Roles, database, extensions, migrations, retention and its job; safe to repeat. */
  void bootstrap() {
    String db = settings.pgDatabase();
    admin("postgres", rolesSql());
    admin(
        db,
        "CREATE EXTENSION IF NOT EXISTS timescaledb;\nCREATE EXTENSION IF NOT EXISTS pg_cron;\n");
    migrate();
    setRetention("market.ticks", settings.ticksRetention());
    setCandleRetention(settings.candlesRetentionByInterval());
    // The retention jobs run as rtx_maintenance, which may only call their functions.
    admin(
        db,
        schedule(db, "rtx-ticks-retention", "SELECT market.drop_old_ticks()")
            + schedule(db, "rtx-candles-retention", "SELECT market.delete_old_candles()"));
  }

  /** A pg_cron job every 10 minutes as rtx_maintenance; one left by another user is replaced. */
  private static String schedule(String db, String job, String command) {
    return String.join(
        "\n",
        "SELECT cron.unschedule(jobid) FROM cron.job",
        "  WHERE jobname = " + literal(job) + " AND username <> " + literal(MAINTENANCE) + ";",
        "SELECT cron.schedule_in_database(" + literal(job) + ", '*/10 * * * *',",
        "  " + literal(command) + ", " + literal(db) + ", " + literal(MAINTENANCE) + ", true);",
        "");
  }

  /** Ages by candle interval, already checked, handed to PostgreSQL as values. */
  void setCandleRetention(Map<String, String> keep) {
    try (Connection c =
            DriverManager.getConnection(
                settings.jdbcUrl(), settings.pgUser(), settings.pgPassword());
        PreparedStatement s =
            c.prepareStatement("SELECT market.set_candle_retention(?, ?::interval[])")) {
      s.setArray(1, c.createArrayOf("text", keep.keySet().toArray()));
      s.setArray(2, c.createArrayOf("text", keep.values().toArray()));
      s.execute();
    } catch (SQLException e) {
      throw new StackException("could not set the candles' retention: " + e.getMessage(), e);
    }
  }

  /** A retention age, already checked, handed to PostgreSQL as a value. */
  void setRetention(String relation, String keep) {
    try (Connection c =
            DriverManager.getConnection(
                settings.jdbcUrl(), settings.pgUser(), settings.pgPassword());
        PreparedStatement s = c.prepareStatement("SELECT market.set_retention(?, ?::interval)")) {
      s.setString(1, relation);
      s.setString(2, keep);
      s.execute();
    } catch (SQLException e) {
      throw new StackException(
          "could not set the retention of " + relation + ": " + e.getMessage(), e);
    }
  }

  /** Applies {@code infra/sql/V*.sql} in order, each once, as the platform's role (Flyway). */
  void migrate() {
    Flyway.configure()
        .dataSource(settings.jdbcUrl(), settings.pgUser(), settings.pgPassword())
        .locations("filesystem:" + settings.repo().resolve("infra/sql"))
        .loggers("slf4j")
        .load()
        .migrate();
  }
}
