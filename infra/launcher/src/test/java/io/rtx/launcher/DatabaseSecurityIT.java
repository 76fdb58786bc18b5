package io.rtx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cluster is closed: no trust authentication, a private socket, the scheduled job as a role
 * that cannot escalate, settings that reach SQL checked and passed as values. It rewrites the
 * retention job's function, so it has a database of its own.
 */
@UsesLocalStack(
    value = {Component.POSTGRES},
    isolated = true)
class DatabaseSecurityIT {

  private final LocalStack stack;

  DatabaseSecurityIT(LocalStack stack) {
    this.stack = stack;
  }

  private String superuser(String sql) {
    return stack.stack().superuserSql(stack.settings().pgDatabase(), sql).strip();
  }

  private Connection owner() throws SQLException {
    return DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
  }

  /** Runs psql as another OS user; its exit code and what it said. */
  private static String[] psqlAs(String osUser, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("runuser", "-u", osUser, "--", "psql"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-w", "-c", "SELECT 1")); // -w: never prompt for a password
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String[] {Integer.toString(p.exitValue()), out};
  }

  @Test
  void aLocalUserWhoDoesNotRunTheClusterCannotConnectAsPostgres() throws Exception {
    String port = Integer.toString(stack.settings().port(Component.POSTGRES));
    String socket = stack.settings().run().resolve("pg").toString();
    String[] viaSocket =
        psqlAs("nobody", "-h", socket, "-p", port, "-U", "postgres", "-d", "postgres");
    assertThat(viaSocket[0]).as(viaSocket[1]).isNotEqualTo("0");
    assertThat(viaSocket[1]).contains("Permission denied");
    String[] viaTcp =
        psqlAs("nobody", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres");
    assertThat(viaTcp[0]).as(viaTcp[1]).isNotEqualTo("0");
    assertThat(viaTcp[1]).contains("no password supplied");
  }

  @Test
  void nothingIsTrustedAndTheSocketIsPrivate() throws Exception {
    assertThat(superuser("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method = 'trust'"))
        .isEqualTo("0");
    assertThat(
            superuser(
                "SELECT string_agg(DISTINCT auth_method, ',' ORDER BY auth_method) FROM pg_hba_file_rules"))
        .isEqualTo("peer,scram-sha-256");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stack.settings().run().resolve("pg"))))
        .isEqualTo("rwx------");
    assertThat(superuser("SHOW unix_socket_permissions")).isEqualTo("0700");
  }

  @Test
  void servicesRolesHaveNoPowersBeyondTheirWork() {
    assertThat(
            superuser(
                "SELECT string_agg(rolname || ':' || rolsuper || rolcreaterole || rolcreatedb || rolreplication || rolbypassrls, ' ' ORDER BY rolname)"
                    + " FROM pg_roles WHERE rolname LIKE 'rtx%'"))
        .isEqualTo(
            "rtx:falsefalsefalsefalsefalse rtx_backoffice:falsefalsefalsefalsefalse"
                + " rtx_cdc:falsefalsefalsetruefalse rtx_maintenance:falsefalsefalsefalsefalse"
                + " rtx_monitor:falsefalsefalsefalsefalse"
                + " rtx_readonly:falsefalsefalsefalsefalse rtx_sink:falsefalsefalsefalsefalse"
                + " rtx_trader:falsefalsefalsefalsefalse");
  }

  @Test
  void theOwnerCannotBecomeSuperuserThroughTheScheduledJob() throws Exception {
    String job =
        superuser(
            "SELECT username || '|' || database || '|' || command FROM cron.job WHERE jobname = 'rtx-ticks-retention'");
    assertThat(job)
        .isEqualTo(
            "rtx_maintenance|" + stack.settings().pgDatabase() + "|SELECT market.drop_old_ticks()");

    // rtx owns the job's function and can rewrite it: the job still runs it as rtx, never above.
    // The stack is shared with later tests, so the real function is put back afterwards.
    String original;
    try (Connection c = owner();
        Statement s = c.createStatement();
        var r =
            s.executeQuery("SELECT pg_get_functiondef('market.drop_old_ticks()'::regprocedure)")) {
      r.next();
      original = r.getString(1);
    }
    try {
      try (Connection c = owner();
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE OR REPLACE FUNCTION market.drop_old_ticks() RETURNS integer LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = pg_catalog AS"
                + " $$ BEGIN ALTER ROLE rtx SUPERUSER; RETURN 0; END $$");
      }
      // What pg_cron does for the job: connect as its user to its database and run its command.
      assertThatThrownBy(
              () -> superuser("SET ROLE rtx_maintenance;\nSELECT market.drop_old_ticks();"))
          .hasMessageContaining("must be superuser to alter superuser roles");
      assertThat(superuser("SELECT rolsuper FROM pg_roles WHERE rolname = 'rtx'")).isEqualTo("f");
    } finally {
      try (Connection c = owner();
          Statement s = c.createStatement()) {
        s.execute(original);
      }
    }
    // And the job's role can do nothing else.
    assertThatThrownBy(
            () -> superuser("SET ROLE rtx_maintenance;\nSELECT count(*) FROM market.ticks;"))
        .hasMessageContaining("permission denied");
  }

  @Test
  void retentionReachesTheDatabaseAsACheckedValue() throws Exception {
    try (Connection c = owner();
        PreparedStatement set =
            c.prepareStatement("SELECT market.set_retention('market.ticks', ?::interval)")) {
      for (String bad : List.of("30 minutes", "-1 day", "1 day'; DROP TABLE market.ticks; --")) {
        set.setString(1, bad);
        assertThatThrownBy(set::execute).as(bad).isInstanceOf(SQLException.class);
      }
      try (Statement s = c.createStatement();
          var r = s.executeQuery("SELECT keep::text FROM market.retention")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("7 days");
      }
      assertThat(superuser("SELECT to_regclass('market.ticks') IS NOT NULL")).isEqualTo("t");
    }
  }

  @Test
  void aBadRetentionSettingIsRefusedBeforeAnythingStarts() {
    for (String bad : List.of("-1 day", "30 minutes", "7 dyas", "1 day'; DROP TABLE x; --", " ")) {
      assertThatThrownBy(
              () ->
                  StackSettings.fromEnvironment(
                      stack.repo(),
                      Map.of("RTX_HOME", "/nonexistent", StackSettings.TICKS_RETENTION, bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(StackSettings.TICKS_RETENTION);
    }
  }
}
