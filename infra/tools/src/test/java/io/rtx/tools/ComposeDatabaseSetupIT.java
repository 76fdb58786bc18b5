package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SQL of docker-compose.yml's database set-up ({@code infra/docker/db-init.sh}), run with this
 * machine's psql as the cluster's superuser against the real PostgreSQL + TimescaleDB + pg_cron of
 * the native stack (the containers cannot run here). The cluster was bootstrapped by the launcher,
 * so this is the script on a database that is already set up: it must change what it owns (the
 * passwords, the retention) and nothing else, however often it runs.
 */
// Sets role passwords and the retention: a cluster of its own.
@UsesLocalStack(
    value = {Component.POSTGRES},
    isolated = true)
class ComposeDatabaseSetupIT {

  private static final Path SCRIPT = findRepo().resolve("infra/docker/db-init.sh");

  private final LocalStack stack;

  ComposeDatabaseSetupIT(LocalStack stack) {
    this.stack = stack;
  }

  private record Run(int exit, String output) {}

  @Test
  void bootstrapSetsThePasswordsItIsGivenAndCanBeRepeated() throws Exception {
    Map<String, String> env = bootstrapEnvironment("sink-from-env-1", "cdc-from-env-1");
    assertThat(dbInit("bootstrap", env).exit()).isZero();
    Run again = dbInit("bootstrap", bootstrapEnvironment("sink-from-env-2", "cdc-from-env-2"));
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(again.output().strip())
        .isEqualTo(
            "db-init: roles, database " + stack.settings().pgDatabase() + " and extensions ready");

    assertThat(canLogIn("rtx_sink", "sink-from-env-2")).isTrue();
    assertThat(canLogIn("rtx_cdc", "cdc-from-env-2")).isTrue();
    assertThat(canLogIn("rtx_sink", "sink-from-env-1")).isFalse();
    assertThat(canLogIn(stack.pgUser(), stack.pgPassword())).isTrue();
    assertThat(
            stack
                .stack()
                .superuserSql(
                    "postgres",
                    "SELECT rolname || ':' || rolreplication || ':' || rolsuper FROM pg_roles"
                        + " WHERE rolname IN ('rtx_cdc', 'rtx_sink', 'rtx_maintenance')"
                        + " ORDER BY rolname;")
                .strip())
        .isEqualTo("rtx_cdc:true:false\nrtx_maintenance:false:false\nrtx_sink:false:false");
  }

  @Test
  void scheduleSetsTheRetentionAndTheJobThatAppliesIt() throws Exception {
    try {
      Run run = dbInit("schedule", scheduleEnvironment("3 days"));
      assertThat(run.exit()).as(run.output()).isZero();
      assertThat(retention()).isEqualTo("3 days");
      assertThat(
              stack
                  .stack()
                  .superuserSql(
                      stack.settings().pgDatabase(),
                      "SELECT schedule || '|' || command || '|' || username || '|' || database"
                          + " FROM cron.job WHERE jobname = 'rtx-ticks-retention';")
                  .strip())
          .isEqualTo(
              "*/10 * * * *|SELECT market.drop_old_ticks()|rtx_maintenance|"
                  + stack.settings().pgDatabase());

      assertThat(
              stack
                  .stack()
                  .superuserSql(
                      stack.settings().pgDatabase(),
                      "SELECT string_agg(interval || '=' || keep, ',' ORDER BY interval)"
                          + " FROM market.candle_retention;"
                          + "\nSELECT schedule || '|' || command || '|' || username || '|' || database"
                          + " FROM cron.job WHERE jobname = 'rtx-candles-retention';")
                  .strip())
          .isEqualTo(
              "1m=90 days,1s=7 days\n*/10 * * * *|SELECT market.delete_old_candles()|rtx_maintenance|"
                  + stack.settings().pgDatabase());

      Run tooShort = dbInit("schedule", scheduleEnvironment("30 minutes"));
      assertThat(tooShort.exit()).isNotZero();
      assertThat(tooShort.output()).contains("retention_keep_check");
      assertThat(retention()).isEqualTo("3 days");
    } finally {
      dbInit("schedule", scheduleEnvironment("7 days"));
    }
  }

  private Map<String, String> bootstrapEnvironment(String sinkPassword, String cdcPassword) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RTX_PG_DB", stack.settings().pgDatabase());
    env.put("RTX_PG_USER", stack.pgUser());
    env.put("RTX_PG_PASSWORD", stack.pgPassword());
    env.put("RTX_CDC_DB_PASSWORD", cdcPassword);
    env.put("RTX_SINK_JDBC_PASSWORD", sinkPassword);
    env.put("RTX_BACKOFFICE_JDBC_PASSWORD", "");
    env.put("RTX_MONITOR_DB_PASSWORD", "monitor-" + cdcPassword);
    return env;
  }

  private Map<String, String> scheduleEnvironment(String retention) {
    return Map.of(
        "RTX_PG_DB",
        stack.settings().pgDatabase(),
        "RTX_TICKS_RETENTION",
        retention,
        "RTX_CANDLES_RETENTION",
        "1s=7 days, 1m=90 days");
  }

  private String retention() throws SQLException {
    try (Connection c =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT keep::text FROM market.retention WHERE relation = 'market.ticks'")) {
      r.next();
      return r.getString(1);
    }
  }

  private boolean canLogIn(String role, String password) {
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), role, password)) {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Runs the script as the compose services do, but over the cluster's own socket as the OS user
   * that runs it (the superuser by peer, as natively); the script goes in on stdin, its settings
   * through the environment.
   */
  private Run dbInit(String step, Map<String, String> settings) throws Exception {
    List<String> cmd = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of("sh", "-s", step));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("RTX_") || k.startsWith("PG"));
    pb.environment().put("PGHOST", stack.settings().run().resolve("pg").toString());
    pb.environment().put("PGPORT", Integer.toString(stack.settings().port(Component.POSTGRES)));
    pb.environment().put("PGUSER", "postgres");
    pb.environment().putAll(settings);
    pb.redirectInput(SCRIPT.toFile());
    Path out = Files.createTempFile("db-init", ".out");
    try {
      Process p = pb.redirectOutput(out.toFile()).start();
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("db-init.sh %s finished", step).isTrue();
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  @Test
  void anUnknownStepIsRefused() throws Exception {
    Run run = dbInit("drop-everything", Map.of("RTX_PG_DB", stack.settings().pgDatabase()));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.output().strip()).isEqualTo("usage: db-init.sh bootstrap|schedule");
  }

  private static Path findRepo() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("rtx")) && Files.isDirectory(p.resolve("infra"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the checkout");
  }
}
