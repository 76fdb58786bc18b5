package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.launcher.RedisUser;
import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import io.rtx.schemas.Tick;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The headline path on the real stack, deployed as ./rtx up deploys it: the simulator publishes
 * ticks with out-of-order and redelivered ones (none later than grace); afterwards every tick is in
 * TimescaleDB exactly once, every final 1m candle equals the same candle computed by SQL over the
 * landed ticks, and every quote in Redis is the newest tick of its symbol.
 *
 * <p>A stack of its own: its ticks are half an hour old, and the candles app's stream time (one per
 * partition) on the shared stack is where other tests' live ticks took it, so there they would all
 * be late and dropped.
 */
@UsesLocalStack(
    value = {
      Component.POSTGRES,
      Component.REDIS,
      Component.KAFKA,
      Component.REGISTRY,
      Component.CONNECT,
      Component.CANDLES,
      Component.QUOTES
    },
    isolated = true)
class MarketDataPathIT {

  private static final List<String> SYMBOLS = List.of("EURUSD", "GBPUSD", "USDJPY", "XAUUSD");

  /** This test's candles: the shared stack holds other tests' candles too. */
  private static final String OURS = "symbol IN ('" + String.join("', '", SYMBOLS) + "')";

  // Recent history: brokers refuse record timestamps more than an hour ahead
  // (log.message.timestamp.after.max.ms).
  private static final Instant START =
      Instant.now()
          .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
          .minus(Duration.ofMinutes(30));
  private static final Duration STEP = Duration.ofMillis(20);
  private static final int COUNT =
      15_000; // 300 s of event time: minutes 0..3 close, minute 4 stays open

  private final LocalStack stack;

  MarketDataPathIT(LocalStack stack) {
    this.stack = stack;
  }

  private static MarketGenerator feed() {
    return new MarketGenerator(
        Instrument.parse(String.join(",", SYMBOLS)), 42, 0.02, 0.02, "E2E", 1);
  }

  @Test
  void ticksCandlesAndQuotesAgreeEndToEnd() throws Exception {
    stack.deployConnectors();
    Properties producer = new Properties();
    producer.put("bootstrap.servers", stack.bootstrapServers());
    producer.put("registry.url", stack.registryUrl());
    producer.put("acks", "all");
    SimulateCommand.Report sent =
        SimulateCommand.run(
            SimulateCommand.Options.of(List.of(feed()), producer)
                .upTo(COUNT)
                .withClock(EventClock.stepping(START, STEP))
                .quietly());

    // The same seed and clock give the same feed: what the simulator sent, first delivery of each
    // seq.
    MarketGenerator replay = feed();
    EventClock.Ticker clock = EventClock.stepping(START, STEP).ticker();
    Map<String, Tick> unique = new LinkedHashMap<>();
    List<Tick> all = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      all.add(replay.next(clock.next()));
    }
    all.addAll(replay.drain());
    all.forEach(t -> unique.putIfAbsent(t.getSymbol() + "/" + t.getSeq(), t));
    assertThat(sent.sent()).isEqualTo(all.size());
    assertThat(sent.redelivered()).isPositive();
    assertThat(sent.reordered()).isPositive();

    try (Connection db =
        DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword())) {
      // 1. every tick exactly once, values exact
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  scalar(db, "SELECT count(*) FROM market.ticks WHERE venue = 'E2E'")
                      >= unique.size());
      Map<String, String> landed = new HashMap<>();
      query(
          db,
          "SELECT symbol, seq, ts, bid, ask, last_price, last_size FROM market.ticks WHERE venue = 'E2E'",
          r ->
              assertThat(
                      landed.put(
                          r.getString(1) + "/" + r.getLong(2),
                          String.join(
                              "|",
                              r.getTimestamp(3).toInstant().toString(),
                              r.getBigDecimal(4).toPlainString(),
                              r.getBigDecimal(5).toPlainString(),
                              String.valueOf(r.getBigDecimal(6)),
                              String.valueOf(r.getBigDecimal(7)))))
                  .as("duplicate row")
                  .isNull());
      Map<String, String> expected = new HashMap<>();
      unique.forEach(
          (id, t) ->
              expected.put(
                  id,
                  String.join(
                      "|",
                      t.getTs().toString(),
                      t.getBid().toPlainString(),
                      t.getAsk().toPlainString(),
                      String.valueOf(t.getLastPrice()),
                      String.valueOf(t.getLastSize()))));
      assertThat(landed).isEqualTo(expected);

      // 2. every final 1m candle equals SQL over the landed ticks: open/close by (ts, seq), max,
      // min, count, volume
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  scalar(
                          db,
                          "SELECT count(*) FROM market.candles WHERE interval = '1m' AND " + OURS)
                      >= 4L * SYMBOLS.size());
      String compare =
          """
          WITH sql AS (
            SELECT symbol, time_bucket('1 minute', ts) AS bucket_start,
                   (array_agg(bid ORDER BY ts, seq))[1] AS open, max(bid) AS high, min(bid) AS low,
                   (array_agg(bid ORDER BY ts DESC, seq DESC))[1] AS close,
                   coalesce(sum(last_size), 0) AS volume, count(*) AS tick_count
            FROM market.ticks WHERE venue = 'E2E' GROUP BY 1, 2)
          SELECT c.symbol, c.bucket_start, c.open = s.open AND c.high = s.high AND c.low = s.low AND c.close = s.close
                 AND c.volume = s.volume AND c.tick_count = s.tick_count AS same, c.tick_count
          FROM market.candles c LEFT JOIN sql s USING (symbol, bucket_start)
          WHERE c.interval = '1m' AND c."""
              + OURS
              + " ORDER BY 1, 2";
      List<String> candles = new ArrayList<>();
      query(
          db,
          compare,
          r ->
              candles.add(
                  r.getString(1) + " " + r.getTimestamp(2).toInstant() + " " + r.getBoolean(3)));
      assertThat(candles)
          .hasSize(4 * SYMBOLS.size())
          .allMatch(c -> c.endsWith(" true"), "equal to SQL");
      assertThat(
              scalar(
                  db,
                  "SELECT sum(tick_count) FROM market.candles WHERE interval = '1m' AND " + OURS))
          .isEqualTo(
              unique.values().stream()
                  .filter(t -> t.getTs().isBefore(START.plus(Duration.ofMinutes(4))))
                  .count());

      // the candles app answers the same candles over HTTP, the open one first
      var http = java.net.http.HttpClient.newHttpClient();
      var response =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          stack.candlesUrl() + "/candles?symbol=EURUSD&interval=1m&limit=5"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      var served = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
      assertThat(served).hasSize(5);
      assertThat(served.get(0).get("final").asBoolean()).isFalse();
      assertThat(served.get(0).get("bucket_start").asText())
          .isEqualTo(START.plus(Duration.ofMinutes(4)).toString());
      for (int i = 1; i < 5; i++) {
        var c = served.get(i);
        assertThat(c.get("final").asBoolean()).isTrue();
        List<String> row = new ArrayList<>();
        query(
            db,
            "SELECT open, high, low, close, tick_count FROM market.candles WHERE symbol = 'EURUSD'"
                + " AND interval = '1m' AND bucket_start = '"
                + c.get("bucket_start").asText()
                + "'",
            r ->
                row.add(
                    r.getBigDecimal(1).toPlainString()
                        + " "
                        + r.getBigDecimal(2).toPlainString()
                        + " "
                        + r.getBigDecimal(3).toPlainString()
                        + " "
                        + r.getBigDecimal(4).toPlainString()
                        + " "
                        + r.getLong(5)));
        assertThat(row)
            .containsExactly(
                c.get("open").asText()
                    + " "
                    + c.get("high").asText()
                    + " "
                    + c.get("low").asText()
                    + " "
                    + c.get("close").asText()
                    + " "
                    + c.get("tick_count").asLong());
      }

      // 3. every quote is the newest tick of its symbol
      try (Jedis redis = new Jedis(stack.redisUri(RedisUser.READER))) {
        for (String symbol : SYMBOLS) {
          Tick newest =
              unique.values().stream()
                  .filter(t -> t.getSymbol().equals(symbol))
                  .max(java.util.Comparator.comparingLong(Tick::getSeq))
                  .orElseThrow();
          await()
              .atMost(Duration.ofSeconds(30))
              .untilAsserted(
                  () ->
                      assertThat(redis.hgetAll(Names.quoteKey(symbol)))
                          .containsEntry("seq", Long.toString(newest.getSeq()))
                          .containsEntry("bid", newest.getBid().toPlainString())
                          .containsEntry("ask", newest.getAsk().toPlainString())
                          .containsEntry("ts", Long.toString(newest.getTs().toEpochMilli())));
        }
      }
    }
  }

  private interface Row {
    void accept(ResultSet r) throws Exception;
  }

  private static void query(Connection db, String sql, Row row) throws Exception {
    try (PreparedStatement s = db.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        row.accept(r);
      }
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
