package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Chaos under load: while the simulator publishes 300 ticks/s with redeliveries and out-of-order
 * ticks, each of the candles app, the quotes app, the Connect worker, Redis, PostgreSQL and the
 * broker is killed (SIGKILL) in turn and started again. Afterwards every tick is in TimescaleDB
 * exactly once, every closed 1s candle equals SQL over the landed ticks, the candles' tick counts
 * add up to the ticks, and within 10 s of the last tick every Redis quote is the newest tick of its
 * symbol. It kills components, so it has a stack of its own.
 */
@UsesLocalStack(
    value = {
      Component.POSTGRES,
      Component.KAFKA,
      Component.REGISTRY,
      Component.CONNECT,
      Component.REDIS,
      Component.CANDLES,
      Component.QUOTES
    },
    isolated = true)
class ChaosIT {

  private static final String SYMBOLS = "EURUSD,GBPUSD,USDJPY";
  private static final String OURS = "symbol IN ('EURUSD', 'GBPUSD', 'USDJPY')";
  private static final List<Component> VICTIMS =
      List.of(
          Component.CANDLES,
          Component.QUOTES,
          Component.CONNECT,
          Component.REDIS,
          Component.POSTGRES,
          Component.KAFKA);

  private final LocalStack stack;

  ChaosIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void killingEachComponentUnderLoadLosesAndDoublesNothing() throws Exception {
    stack.stack().applyTopics(line -> {});
    stack.deployConnectors();
    CompletableFuture<SimulateCommand.Report> load =
        CompletableFuture.supplyAsync(
            () ->
                feed(
                    new MarketGenerator(Instrument.parse(SYMBOLS), 9, 0.02, 0.02, "CHAOS", 1),
                    45_000,
                    300));
    Map<Component, Duration> outages = new LinkedHashMap<>();
    Thread.sleep(10_000);
    for (Component victim : VICTIMS) {
      long start = System.nanoTime();
      stack.kill(victim);
      Thread.sleep(3_000);
      stack.ensure(List.of(victim));
      outages.put(victim, Duration.ofNanos(System.nanoTime() - start));
      Thread.sleep(8_000);
    }
    SimulateCommand.Report sent = load.get();
    System.out.println("chaos: killed and back " + outages + "; sent " + sent);

    // 30 ticks 7 s on (grace 5 s) close every window of the load; they are the newest of each
    // symbol
    Thread.sleep(7_000);
    Instant cutoff = Instant.now().minusSeconds(1);
    feed(closing(), 30, 0);
    Map<String, Long> closers = newestOfClosing();
    long lastTickAt = System.nanoTime();

    try (Jedis redis = new Jedis(stack.redisHost(), stack.redisPort());
        Connection db =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword())) {
      // within 10 s of the last tick, every quote is the newest tick of its symbol
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
      System.out.println(
          "chaos: every quote the newest tick " + toNewestQuotes + " after the last");

      // every tick in TimescaleDB, exactly once
      long expected = sent.unique() + 30;
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  scalar(db, "SELECT count(*) FROM market.ticks WHERE venue = 'CHAOS'")
                      >= expected);
      assertThat(scalar(db, "SELECT count(*) FROM market.ticks WHERE venue = 'CHAOS'"))
          .isEqualTo(expected);
      assertThat(
              scalar(
                  db,
                  "SELECT count(*) FROM (SELECT DISTINCT symbol, seq FROM market.ticks"
                      + " WHERE venue = 'CHAOS') d"))
          .isEqualTo(expected);

      // every closed 1s candle equals SQL over the landed ticks, and they count every tick
      String before =
          " AND bucket_start < '" + cutoff.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "'";
      String buckets =
          "SELECT count(*) FROM (SELECT DISTINCT symbol, time_bucket('1 second', ts) AS bucket_start"
              + " FROM market.ticks WHERE venue = 'CHAOS') b WHERE true"
              + before;
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  scalar(
                          db,
                          "SELECT count(*) FROM market.candles WHERE interval = '1s' AND "
                              + OURS
                              + before)
                      >= scalar(db, buckets));
      String compare =
          """
          WITH sql AS (
            SELECT symbol, time_bucket('1 second', ts) AS bucket_start,
                   (array_agg(bid ORDER BY ts, seq))[1] AS open, max(bid) AS high, min(bid) AS low,
                   (array_agg(bid ORDER BY ts DESC, seq DESC))[1] AS close,
                   coalesce(sum(last_size), 0) AS volume, count(*) AS tick_count
            FROM market.ticks WHERE venue = 'CHAOS' GROUP BY 1, 2)
          SELECT c.symbol, c.bucket_start, c.open = s.open AND c.high = s.high AND c.low = s.low
                 AND c.close = s.close AND c.volume = s.volume AND c.tick_count = s.tick_count
          FROM market.candles c LEFT JOIN sql s USING (symbol, bucket_start)
          WHERE c.interval = '1s' AND c."""
              + OURS
              + before;
      List<String> differ = new ArrayList<>();
      long[] candles = {0};
      try (PreparedStatement s = db.prepareStatement(compare);
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          candles[0]++;
          if (!r.getBoolean(3)) {
            differ.add(r.getString(1) + " " + r.getTimestamp(2).toInstant());
          }
        }
      }
      assertThat(differ).as("1s candles that differ from SQL over the ticks").isEmpty();
      assertThat(candles[0]).isEqualTo(scalar(db, buckets));
      assertThat(
              scalar(
                  db,
                  "SELECT sum(tick_count) FROM market.candles WHERE interval = '1s' AND "
                      + OURS
                      + before))
          .isEqualTo(
              scalar(
                  db,
                  "SELECT count(*) FROM market.ticks WHERE venue = 'CHAOS' AND ts < '"
                      + cutoff.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                      + "'"));
      assertThat(toNewestQuotes)
          .as("last tick → every quote the newest")
          .isLessThan(Duration.ofSeconds(10));
    }
  }

  /** The generator of the 30 closing ticks; the same seed gives the same seqs. */
  private static MarketGenerator closing() {
    return new MarketGenerator(Instrument.parse(SYMBOLS), 10, 0, 0, "CHAOS", 10_000_000);
  }

  /** The newest seq of each symbol among the 30 closing ticks, by replaying their generator. */
  private static Map<String, Long> newestOfClosing() {
    MarketGenerator replay = closing();
    Map<String, Long> newest = new java.util.HashMap<>();
    for (int i = 0; i < 30; i++) {
      io.rtx.schemas.Tick t = replay.next(Instant.now());
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
