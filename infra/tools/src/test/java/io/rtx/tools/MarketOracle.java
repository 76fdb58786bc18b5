package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.schemas.Names;
import io.rtx.schemas.Tick;
import io.rtx.testkit.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import redis.clients.jedis.Jedis;

/**
 * A market feed of one venue on a stack's whole market data path, and what must hold after it
 * whatever failed on the way: every tick in TimescaleDB exactly once, every closed 1s candle equal
 * to SQL over the landed ticks (the candles' tick counts adding up to the ticks), and every Redis
 * quote the newest tick of its symbol. For the tests that disturb the stack under load.
 */
final class MarketOracle {

  private static final String SYMBOLS = "EURUSD,GBPUSD,USDJPY";
  private static final String OURS = "symbol IN ('EURUSD', 'GBPUSD', 'USDJPY')";
  private static final int CLOSERS = 30;

  private final LocalStack stack;
  private final String venue;

  MarketOracle(LocalStack stack, String venue) {
    this.stack = stack;
    this.venue = venue;
  }

  /** {@code count} ticks at {@code rate}/s, 2 % redelivered and 2 % out of order. */
  SimulateCommand.Report feed(long count, long rate) {
    return feed(
        new MarketGenerator(Instrument.parse(SYMBOLS), 9, 0.02, 0.02, venue, 1), count, rate);
  }

  /**
   * Closes every window of the feed with 30 ticks 7 s on (grace 5 s), which are the newest of each
   * symbol, then checks everything; {@code sent} is what {@link #feed} reported.
   *
   * @return how long after the last tick every Redis quote was the newest tick of its symbol
   */
  Duration closeAndCheck(SimulateCommand.Report sent) throws Exception {
    Thread.sleep(7_000);
    Instant cutoff = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
    feed(closing(), CLOSERS, 0);
    Map<String, Long> closers = newestOfClosing();
    long lastTickAt = System.nanoTime();

    try (Jedis redis = new Jedis(stack.redisHost(), stack.redisPort());
        Connection db =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword())) {
      for (String symbol : closers.keySet()) {
        long newest = closers.get(symbol);
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () ->
                    assertThat(redis.hgetAll(Names.quoteKey(symbol)))
                        .containsEntry("seq", Long.toString(newest)));
      }
      Duration toNewestQuotes = Duration.ofNanos(System.nanoTime() - lastTickAt);

      // every tick in TimescaleDB, exactly once
      String ticks = "FROM market.ticks WHERE venue = '" + venue + "'";
      long expected = sent.unique() + CLOSERS;
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> scalar(db, "SELECT count(*) " + ticks) >= expected);
      assertThat(scalar(db, "SELECT count(*) " + ticks)).isEqualTo(expected);
      assertThat(scalar(db, "SELECT count(*) FROM (SELECT DISTINCT symbol, seq " + ticks + ") d"))
          .isEqualTo(expected);

      // every closed 1s candle equals SQL over the landed ticks, and they count every tick
      String before = " AND bucket_start < '" + cutoff + "'";
      String buckets =
          "SELECT count(*) FROM (SELECT DISTINCT symbol, time_bucket('1 second', ts) AS bucket_start "
              + ticks
              + ") b WHERE true"
              + before;
      String candles = "FROM market.candles WHERE interval = '1s' AND " + OURS + before;
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> scalar(db, "SELECT count(*) " + candles) >= scalar(db, buckets));
      String compare =
          """
          WITH sql AS (
            SELECT symbol, time_bucket('1 second', ts) AS bucket_start,
                   (array_agg(bid ORDER BY ts, seq))[1] AS open, max(bid) AS high, min(bid) AS low,
                   (array_agg(bid ORDER BY ts DESC, seq DESC))[1] AS close,
                   coalesce(sum(last_size), 0) AS volume, count(*) AS tick_count
            %s GROUP BY 1, 2)
          SELECT c.symbol, c.bucket_start, c.open = s.open AND c.high = s.high AND c.low = s.low
                 AND c.close = s.close AND c.volume = s.volume AND c.tick_count = s.tick_count
          FROM market.candles c LEFT JOIN sql s USING (symbol, bucket_start)
          WHERE c.interval = '1s' AND c.%s%s
          """
              .formatted(ticks, OURS, before);
      List<String> differ = new ArrayList<>();
      long compared = 0;
      try (PreparedStatement s = db.prepareStatement(compare);
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          compared++;
          if (!r.getBoolean(3)) {
            differ.add(r.getString(1) + " " + r.getTimestamp(2).toInstant());
          }
        }
      }
      assertThat(differ).as("1s candles that differ from SQL over the ticks").isEmpty();
      assertThat(compared).isEqualTo(scalar(db, buckets));
      assertThat(scalar(db, "SELECT sum(tick_count) " + candles))
          .isEqualTo(scalar(db, "SELECT count(*) " + ticks + " AND ts < '" + cutoff + "'"));
      return toNewestQuotes;
    }
  }

  /** The generator of the closing ticks; the same seed gives the same seqs. */
  private MarketGenerator closing() {
    return new MarketGenerator(Instrument.parse(SYMBOLS), 10, 0, 0, venue, 10_000_000);
  }

  /** The newest seq of each symbol among the closing ticks, by replaying their generator. */
  private Map<String, Long> newestOfClosing() {
    MarketGenerator replay = closing();
    Map<String, Long> newest = new HashMap<>();
    for (int i = 0; i < CLOSERS; i++) {
      Tick t = replay.next(Instant.now());
      newest.merge(t.getSymbol(), t.getSeq(), Math::max);
    }
    return newest;
  }

  private SimulateCommand.Report feed(MarketGenerator generator, long count, long rate) {
    Properties producer = new Properties();
    producer.put("bootstrap.servers", stack.bootstrapServers());
    producer.put("registry.url", stack.registryUrl());
    producer.put("acks", "all");
    try {
      return SimulateCommand.run(
          SimulateCommand.Options.of(List.of(generator), producer)
              .upTo(count)
              .atRate(rate)
              .quietly());
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long scalar(Connection db, String sql) throws Exception {
    try (PreparedStatement s = db.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }
}
