package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.launcher.RedisUser;
import io.rtx.schemas.Candle;
import io.rtx.schemas.Names;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.testkit.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
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

  /** The candles app's warnings every kill brings, left out of {@link #explain}. */
  private static final List<String> EXPECTED_WARNINGS =
      List.of(
          "processing.exception.handler.global.enabled",
          "OS temp directory",
          "did not find checkpoint offsets",
          "corrupted");

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

    try (Jedis redis = new Jedis(stack.redisUri(RedisUser.READER));
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
      if (!differ.isEmpty()) {
        explain(db, ticks, differ);
      }
      assertThat(differ).as("1s candles that differ from SQL over the ticks").isEmpty();
      assertThat(compared).isEqualTo(scalar(db, buckets));
      assertThat(scalar(db, "SELECT sum(tick_count) " + candles))
          .isEqualTo(scalar(db, "SELECT count(*) " + ticks + " AND ts < '" + cutoff + "'"));
      return toNewestQuotes;
    }
  }

  /**
   * Prints what a failed comparison needs to be understood, since the stack's home is wiped after
   * the test: each differing candle as landed, as SQL computes it and as published on the topics,
   * the window's late and dead-lettered ticks, and the candles app's warnings.
   */
  private void explain(Connection db, String ticks, List<String> differ) throws Exception {
    StringBuilder out = new StringBuilder("candles that differ from SQL over the ticks:\n");
    List<ConsumerRecord<String, SpecificRecord>> published = new ArrayList<>();
    for (String topic : List.of("market.candles", "market.ticks.late", "market.ticks.dlq")) {
      published.addAll(read(topic));
    }
    for (String candle : differ) {
      String symbol = candle.split(" ")[0];
      Instant start = Instant.parse(candle.split(" ")[1]);
      String window =
          " AND symbol = '"
              + symbol
              + "' AND ts >= '"
              + start
              + "' AND ts < '"
              + start.plusSeconds(1)
              + "'";
      out.append(candle)
          .append("\n  landed: ")
          .append(
              rows(
                  db,
                  "SELECT open, high, low, close, volume, tick_count FROM market.candles"
                      + " WHERE interval = '1s' AND symbol = '"
                      + symbol
                      + "' AND bucket_start = '"
                      + start
                      + "'"))
          .append("\n  SQL over the landed ticks (the same, then seqs min, max, distinct): ")
          .append(
              rows(
                  db,
                  "SELECT (array_agg(bid ORDER BY ts, seq))[1], max(bid), min(bid),"
                      + " (array_agg(bid ORDER BY ts DESC, seq DESC))[1],"
                      + " coalesce(sum(last_size), 0), count(*), min(seq), max(seq),"
                      + " count(DISTINCT seq) "
                      + ticks
                      + window))
          .append("\n  published:");
      for (ConsumerRecord<String, SpecificRecord> r : published) {
        String v = String.valueOf(r.value());
        boolean ours =
            r.value() instanceof Candle c
                ? c.getSymbol().equals(symbol)
                    && c.getInterval().equals("1s")
                    && c.getBucketStart().equals(start)
                : r.value() instanceof Tick t
                    && t.getSymbol().equals(symbol)
                    && !t.getTs().isBefore(start)
                    && t.getTs().isBefore(start.plusSeconds(1));
        if (ours) {
          out.append("\n    ")
              .append(r.topic())
              .append('@')
              .append(r.partition())
              .append('/')
              .append(r.offset())
              .append(' ')
              .append(v);
          for (Header h : r.headers()) {
            out.append(" ")
                .append(h.key())
                .append('=')
                .append(new String(h.value(), StandardCharsets.UTF_8));
          }
        }
      }
      out.append('\n');
    }
    try (Stream<Path> logs = Files.list(stack.settings().logs())) {
      for (Path log :
          logs.filter(p -> p.getFileName().toString().startsWith("candles")).sorted().toList()) {
        out.append("warnings in ").append(log.getFileName()).append(":\n");
        Files.readAllLines(log, StandardCharsets.UTF_8).stream()
            .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
            .filter(l -> EXPECTED_WARNINGS.stream().noneMatch(l::contains))
            .limit(40)
            .forEach(l -> out.append("  ").append(l).append('\n'));
      }
    }
    System.out.println(out);
  }

  /** Every committed record of {@code topic}, from its start to its end now. */
  private List<ConsumerRecord<String, SpecificRecord>> read(String topic) {
    Serde<SpecificRecord> serde = RegistrySerdes.value(stack.registryUrl());
    List<ConsumerRecord<String, SpecificRecord>> all = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> in =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            serde.deserializer())) {
      List<TopicPartition> partitions =
          in.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      in.assign(partitions);
      in.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = in.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> in.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        in.poll(Duration.ofMillis(500)).forEach(all::add);
      }
    }
    return all;
  }

  private static String rows(Connection db, String sql) throws Exception {
    StringBuilder rows = new StringBuilder();
    try (PreparedStatement s = db.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      int columns = r.getMetaData().getColumnCount();
      while (r.next()) {
        rows.append("\n    ");
        for (int c = 1; c <= columns; c++) {
          rows.append(r.getString(c)).append(c < columns ? " " : "");
        }
      }
    }
    return rows.toString();
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
