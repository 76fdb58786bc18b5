package io.rtx.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.common.ConsumerLag;
import io.rtx.schemas.Candle;
import io.rtx.schemas.Component;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.Names;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Records written by our producer serde are read by the Connect Avro converter and landed by the
 * Debezium JDBC sink into the project's hypertables: exactly once per key, values exact to the last
 * digit.
 */
@UsesLocalStack({Component.POSTGRES, Component.KAFKA, Component.REGISTRY, Component.CONNECT})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MarketSinksIT {

  private final LocalStack stack;

  MarketSinksIT(LocalStack stack) {
    this.stack = stack;
  }

  @BeforeAll
  void deploy() throws Exception {
    stack.stack().applyTopics(line -> {});
    stack.deployConnectors();
  }

  @Test
  void ticksLandOncePerSymbolAndSeqWithExactValues() throws Exception {
    List<Tick> ticks = new ArrayList<>();
    Instant t0 = Instant.parse("2026-11-26T10:00:00.001Z");
    for (String symbol : List.of("SNKEUR", "SNKGBP", "SNKJPY")) {
      for (int seq = 1; seq <= 300; seq++) {
        BigDecimal bid = new BigDecimal("1.08").add(new BigDecimal(seq).movePointLeft(5));
        ticks.add(
            Tick.newBuilder()
                .setSymbol(symbol)
                .setSeq(seq)
                .setTs(t0.plusMillis(seq * 7L))
                .setBid(Decimals.of(bid))
                .setAsk(Decimals.of(bid.add(new BigDecimal("0.00012"))))
                .setBidSize(seq % 2 == 0 ? Decimals.of("1000000") : null)
                .setLastPrice(null)
                .setLastSize(seq % 3 == 0 ? Decimals.of("0.00000001") : null)
                .setVenue("SIM")
                .build());
      }
    }
    List<Tick> sent = new ArrayList<>(ticks);
    sent.addAll(ticks.subList(100, 250)); // an upstream redelivery
    awaitSinkCaughtUp("rtx-ticks-sink", send(Topics.MARKET_TICKS.name(), sent, t -> t.getSymbol()));

    Map<String, String> expected =
        ticks.stream()
            .collect(
                Collectors.toMap(t -> t.getSymbol() + "/" + t.getSeq(), MarketSinksIT::describe));
    Map<String, String> landed = new HashMap<>();
    query(
        "SELECT symbol, seq, ts, bid, ask, bid_size, ask_size, last_price, last_size, venue FROM market.ticks"
            + " WHERE symbol IN ('SNKEUR', 'SNKGBP', 'SNKJPY')",
        r -> {
          Tick t =
              Tick.newBuilder()
                  .setSymbol(r.getString(1))
                  .setSeq(r.getLong(2))
                  .setTs(r.getTimestamp(3).toInstant())
                  .setBid(r.getBigDecimal(4))
                  .setAsk(r.getBigDecimal(5))
                  .setBidSize(r.getBigDecimal(6))
                  .setAskSize(r.getBigDecimal(7))
                  .setLastPrice(r.getBigDecimal(8))
                  .setLastSize(r.getBigDecimal(9))
                  .setVenue(r.getString(10))
                  .build();
          assertThat(landed.put(t.getSymbol() + "/" + t.getSeq(), describe(t)))
              .as("duplicate row")
              .isNull();
        });
    assertThat(landed).isEqualTo(expected);
  }

  @Test
  void finalCandlesUpsertOnSymbolIntervalAndBucket() throws Exception {
    Candle first =
        candle(
            "SNKEUR", "1m", "2026-11-26T10:00:00Z", "1.08001", "1.08050", "1.07990", "1.08020", 17);
    Candle other =
        candle(
            "SNKEUR", "5m", "2026-11-26T10:00:00Z", "1.08001", "1.08100", "1.07900", "1.08090", 80);
    awaitSinkCaughtUp(
        "rtx-candles-sink",
        send(
            Topics.MARKET_CANDLES.name(),
            List.of(first, other, first),
            c -> c.getSymbol() + ":" + c.getInterval()));

    List<String> rows = new ArrayList<>();
    query(
        "SELECT symbol, interval, bucket_start, open, high, low, close, volume, tick_count FROM market.candles"
            // only this test's symbol: on the shared stack the candles app writes others' candles
            + " WHERE symbol = 'SNKEUR' ORDER BY interval",
        r ->
            rows.add(
                String.join(
                    " ",
                    r.getString(1),
                    r.getString(2),
                    r.getTimestamp(3).toInstant().toString(),
                    r.getBigDecimal(4).toPlainString(),
                    r.getBigDecimal(5).toPlainString(),
                    r.getBigDecimal(6).toPlainString(),
                    r.getBigDecimal(7).toPlainString(),
                    r.getBigDecimal(8).toPlainString(),
                    Long.toString(r.getLong(9)))));
    assertThat(rows)
        .containsExactly(
            "SNKEUR 1m 2026-11-26T10:00:00Z 1.08001000 1.08050000 1.07990000 1.08020000 1234.50000000 17",
            "SNKEUR 5m 2026-11-26T10:00:00Z 1.08001000 1.08100000 1.07900000 1.08090000 1234.50000000 80");
  }

  private static Candle candle(
      String symbol,
      String interval,
      String start,
      String o,
      String h,
      String l,
      String c,
      long n) {
    return Candle.newBuilder()
        .setSymbol(symbol)
        .setInterval(interval)
        .setBucketStart(Instant.parse(start))
        .setOpen(Decimals.of(o))
        .setHigh(Decimals.of(h))
        .setLow(Decimals.of(l))
        .setClose(Decimals.of(c))
        .setVolume(Decimals.of("1234.5"))
        .setTickCount(n)
        .setIsFinal(true)
        .build();
  }

  private static String describe(Tick t) {
    return String.join(
        "|",
        t.getTs().toString(),
        t.getBid().toPlainString(),
        t.getAsk().toPlainString(),
        String.valueOf(t.getBidSize()),
        String.valueOf(t.getAskSize()),
        String.valueOf(t.getLastPrice()),
        String.valueOf(t.getLastSize()),
        t.getVenue());
  }

  /** Sends the values and returns, per partition written, the offset after our last record. */
  private <T extends org.apache.avro.specific.SpecificRecord> Map<TopicPartition, Long> send(
      String topic, List<T> values, java.util.function.Function<T, String> key) throws Exception {
    Map<String, Object> p =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    Map<TopicPartition, Long> next = new HashMap<>();
    try (var producer =
        new KafkaProducer<>(
            p, new StringSerializer(), RegistrySerdes.<T>value(stack.registryUrl()).serializer())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (T v : values) {
        acks.add(producer.send(new ProducerRecord<>(topic, key.apply(v), v)));
      }
      for (Future<RecordMetadata> ack : acks) {
        RecordMetadata m = ack.get();
        next.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
      }
    }
    return next;
  }

  /**
   * The sink has committed past our last record in each partition we wrote: all it will write of
   * them is written. Only those partitions count: on the suite's shared stack other writers (the
   * candles app) go on, and a partition whose last entry is a transaction marker keeps its end one
   * past any offset a sink commits.
   */
  private void awaitSinkCaughtUp(String connector, Map<TopicPartition, Long> sent)
      throws Exception {
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                try (Admin admin = admin()) {
                  Map<TopicPartition, Long> committed =
                      ConsumerLag.committed(admin, Names.sinkGroup(connector));
                  return sent.entrySet().stream()
                      .allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
                }
              });
    } catch (ConditionTimeoutException e) {
      // say what the connector and its tasks were doing, not only that the wait ran out
      throw new AssertionError(
          connector
              + " did not commit past "
              + sent
              + "; "
              + stack.stack().connect().state(connector),
          e);
    }
  }

  private interface RowConsumer {
    void accept(ResultSet r) throws Exception;
  }

  private void query(String sql, RowConsumer rows) throws Exception {
    try (Connection c =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        rows.accept(r);
      }
    }
  }

  private Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
  }
}
