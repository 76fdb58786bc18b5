package io.rtx.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Candles older than their interval's age are deleted, each interval by its own age, others kept;
 * any interval label the candles app accepts lands in market.candles.
 */
// Replaces the candles' retention and deletes candles of every symbol: a database of its own.
@UsesLocalStack(
    value = {Component.POSTGRES},
    isolated = true)
class CandleRetentionIT {

  private static final String CONFIGURED =
      "SELECT string_agg(interval || '=' || keep, ',' ORDER BY interval) FROM market.candle_retention";

  /** What ./rtx up set, put back for the other test, which starts by checking it. */
  private static final String RESTORE =
      "SELECT market.set_candle_retention('{1s,1m}', '{7 days,90 days}')";

  private final LocalStack stack;

  CandleRetentionIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void eachIntervalKeepsItsOwnAgeAndUnnamedIntervalsAreKeptForever() throws Exception {
    assertThat(superuser(CONFIGURED)).isEqualTo("1m=90 days,1s=7 days");
    assertThat(
            superuser(
                "SELECT username || '|' || command FROM cron.job"
                    + " WHERE jobname = 'rtx-candles-retention'"))
        .isEqualTo("rtx_maintenance|SELECT market.delete_old_candles()");

    try (Connection c = owner();
        Statement s = c.createStatement()) {
      // ages 0.5 .. 4.5 days of 1s, 5m and 2h candles (2h was outside the table's first check)
      s.execute(
          """
          INSERT INTO market.candles
            (symbol, interval, bucket_start, open, high, low, close, volume, tick_count)
          SELECT 'RETENTION', i, now() - make_interval(days => g, hours => 12), 1, 1, 1, 1, 0, 1
          FROM unnest(ARRAY['1s', '5m', '2h']) i, generate_series(0, 4) g""");
      s.execute("SELECT market.set_candle_retention('{1s,2h}', '{1 day,2 days}')");
      assertThat(scalar(s, CONFIGURED)).isEqualTo("1s=1 day,2h=2 days");

      // what pg_cron does for the job: connect as its user and run its command
      assertThat(asMaintenance("SELECT market.delete_old_candles()")).isEqualTo("7");
      assertThat(scalar(s, remaining())).isEqualTo("1s 0,2h 0,2h 1,5m 0,5m 1,5m 2,5m 3,5m 4");
      assertThat(asMaintenance("SELECT market.delete_old_candles()")).isEqualTo("0");

      // the setter replaces the whole set: 1s and 2h are kept forever from now on
      s.execute("SELECT market.set_candle_retention('{5m}', '{3 days}')");
      assertThat(scalar(s, CONFIGURED)).isEqualTo("5m=3 days");
      assertThat(asMaintenance("SELECT market.delete_old_candles()")).isEqualTo("2");
      assertThat(scalar(s, remaining())).isEqualTo("1s 0,2h 0,2h 1,5m 0,5m 1,5m 2");
      s.execute("DELETE FROM market.candles WHERE symbol = 'RETENTION'");
      s.execute(RESTORE);
    }
  }

  @Test
  void badLabelsAndAgesAreRefusedAndChangeNothing() throws Exception {
    try (Connection c = owner();
        Statement s = c.createStatement()) {
      s.execute("SELECT market.set_candle_retention('{1s}', '{7 days}')");
      for (String bad :
          List.of(
              "'{1x}', '{1 day}'",
              "'{0s}', '{1 day}'",
              "'{1s}', '{30 minutes}'",
              "'{1s,1s}', '{1 day,2 days}'",
              "'{1s,1m}', '{1 day}'")) {
        assertThatThrownBy(() -> s.execute("SELECT market.set_candle_retention(" + bad + ")"))
            .as(bad)
            .isInstanceOf(SQLException.class);
      }
      assertThat(scalar(s, CONFIGURED)).isEqualTo("1s=7 days");
      s.execute(RESTORE);
      for (String label : List.of("0m", "1w", "m", "1 s")) {
        assertThatThrownBy(
                () ->
                    s.execute(
                        "INSERT INTO market.candles VALUES ('RETENTION', '"
                            + label
                            + "', now(), 1, 1, 1, 1, 0, 1)"))
            .as(label)
            .hasMessageContaining("candles_interval_check");
      }
    }
    // the job's role may delete old candles through the function and do nothing else
    assertThatThrownBy(() -> asMaintenance("SELECT market.set_candle_retention('{}', '{}')"))
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() -> asMaintenance("SELECT count(*) FROM market.candles"))
        .hasMessageContaining("permission denied");
  }

  /** Candles of the test's symbol left, as interval and age in whole days. */
  private static String remaining() {
    return "SELECT string_agg(interval || ' ' || extract(day FROM now() - bucket_start), ','"
        + " ORDER BY interval, bucket_start DESC) FROM market.candles WHERE symbol = 'RETENTION'";
  }

  private String asMaintenance(String sql) {
    return superuser("SET ROLE rtx_maintenance;\n" + sql + ";");
  }

  private String superuser(String sql) {
    return stack.stack().superuserSql(stack.settings().pgDatabase(), sql).strip();
  }

  private Connection owner() throws SQLException {
    return DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
  }

  private static String scalar(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }
}
