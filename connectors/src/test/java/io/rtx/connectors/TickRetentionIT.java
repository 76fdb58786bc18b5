package io.rtx.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Ticks older than rtx.ticks_retention go chunk by chunk; the job that does it is scheduled by
 * ./rtx up.
 */
// Drops whole chunks, whoever's ticks are in them: a database of its own.
@UsesLocalStack(
    value = {Component.POSTGRES},
    isolated = true)
class TickRetentionIT {

  private final LocalStack stack;

  TickRetentionIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void oldChunksAreDroppedAndRecentTicksKept() throws Exception {
    try (Connection c =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM market.ticks WHERE symbol = 'RETENTION'");
      s.execute(
          """
          INSERT INTO market.ticks (symbol, seq, ts, bid, ask, venue)
          SELECT 'RETENTION', g, now() - make_interval(days => g), 1.1, 1.2, 'SIM' FROM generate_series(0, 9) g""");

      s.execute("SELECT market.set_retention('market.ticks', '5 days')");
      assertThat(scalar(s, "SELECT market.drop_old_ticks()")).isGreaterThanOrEqualTo(4);

      // days 0..4 survive; a chunk holding day 5 may straddle the cut-off, and drop_chunks keeps it
      // whole
      assertThat(scalar(s, "SELECT count(*) FROM market.ticks WHERE symbol = 'RETENTION'"))
          .isBetween(5L, 6L);
      assertThat(
              scalar(
                  s,
                  "SELECT count(*) FROM market.ticks WHERE symbol = 'RETENTION' AND ts > now() - interval '4 days 23 hours'"))
          .isEqualTo(5L);
      assertThat(scalar(s, "SELECT market.drop_old_ticks()")).isZero();
      s.execute("DELETE FROM market.ticks WHERE symbol = 'RETENTION'");
      s.execute("SELECT market.set_retention('market.ticks', '7 days')");
    }
  }

  private static long scalar(Statement s, String sql) throws Exception {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
