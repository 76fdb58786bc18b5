package io.rtx.quotes;

import static io.rtx.quotes.Ticks.tick;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.common.DeadLetters;
import io.rtx.common.Settings;
import io.rtx.common.TickRules;
import io.rtx.schemas.AvroBinarySerde;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The topology on TopologyTestDriver with an in-memory sink. The driver commits after every record,
 * so with a 500-tick batch and a 1 h interval only the flush-before-commit can bring a tick to the
 * sink and to market.quotes: each tick arriving alone is that guarantee. Batching and collapsing
 * are in {@link QuoteBufferTest}.
 */
class QuoteTopologyTest {

  private static final Instant WALL_CLOCK_START = Instant.parse("2026-12-01T10:00:00Z");

  private final Serde<Tick> tickSerde = new AvroBinarySerde<>(Tick.class);
  private final RecordingSink sink = new RecordingSink();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Tick> ticks;
  private TestInputTopic<byte[], byte[]> rawTicks;
  private TestOutputTopic<byte[], byte[]> dlq;
  private TestOutputTopic<String, Tick> quotes;

  @BeforeEach
  void setUp() {
    start("500");
  }

  /** A driver on the topology with this batch size and a 1 h flush interval. */
  private void start(String batchSize) {
    QuoteSettings settings =
        QuoteSettings.from(
            Map.of(QuoteSettings.BATCH_SIZE, batchSize, QuoteSettings.FLUSH_INTERVAL, "1h"));
    // The app's own Streams settings, as it runs with them.
    Properties props = Settings.defaults(QuoteSettings.APP).withPrefix("kafka.");
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "quotes-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver =
        new TopologyTestDriver(
            QuoteTopology.build(settings, tickSerde, sink), props, WALL_CLOCK_START);
    ticks =
        driver.createInputTopic(
            Topics.MARKET_TICKS.name(), new StringSerializer(), tickSerde.serializer());
    rawTicks =
        driver.createInputTopic(
            Topics.MARKET_TICKS.name(), new ByteArraySerializer(), new ByteArraySerializer());
    dlq =
        driver.createOutputTopic(
            Topics.MARKET_TICKS_DLQ.name(),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    quotes =
        driver.createOutputTopic(
            Topics.MARKET_QUOTES.name(), new StringDeserializer(), tickSerde.deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void everyValidTickReachesTheSinkBeforeItsOffsetIsCommitted() {
    Tick first = tick("EURUSD", 1);
    Tick second = tick("GBPUSD", 7);
    Tick olderThanFirst =
        tick("EURUSD", 0); // ordering is the cache's job, the topology forwards it
    ticks.pipeInput("EURUSD", first);
    ticks.pipeInput("GBPUSD", second);
    ticks.pipeInput("EURUSD", olderThanFirst);

    assertThat(sink.calls)
        .containsExactly(List.of(first), List.of(second), List.of(olderThanFirst));
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void theNewestTickOfEachSymbolGoesToMarketQuotesBeforeItsOffsetIsCommitted() {
    for (Tick t :
        List.of(
            tick("EURUSD", 1),
            tick("EURUSD", 2),
            tick("GBPUSD", 5),
            tick("EURUSD", 4),
            tick("EURUSD", 3), // late: older than one already sent
            tick("GBPUSD", 5, "9.9", "9.9"), // redelivery: the same seq may go again
            tick("EURUSD", 3))) {
      ticks.pipeInput(t.getSymbol(), t);
    }

    List<TestRecord<String, Tick>> out = quotes.readRecordsToList();
    assertThat(out)
        .extracting(r -> r.key() + ":" + r.value().getSeq())
        .containsExactly("EURUSD:1", "EURUSD:2", "GBPUSD:5", "EURUSD:4", "GBPUSD:5");
    assertThat(out).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getSymbol()));
    assertThat(out.get(1).value()).isEqualTo(tick("EURUSD", 2)); // the tick itself, every field
    // the flush's wall clock, not the tick's ts (a tick dated ahead could be refused by the broker)
    assertThat(out).allSatisfy(r -> assertThat(r.getRecordTime()).isEqualTo(WALL_CLOCK_START));
  }

  @Test
  void aFlushInsideProcessingSendsToMarketQuotesToo() {
    driver.close();
    start("1"); // every tick flushes while the processor is processing it
    ticks.pipeInput("EURUSD", tick("EURUSD", 2));
    ticks.pipeInput("EURUSD", tick("EURUSD", 1));
    ticks.pipeInput("GBPUSD", tick("GBPUSD", 1));

    assertThat(quotes.readKeyValuesToMap())
        .isEqualTo(Map.of("EURUSD", tick("EURUSD", 2), "GBPUSD", tick("GBPUSD", 1)));
    assertThat(sink.calls).hasSize(3);
  }

  @Test
  void aLockedQuoteIsValid() {
    Tick locked = tick("EURUSD", 1, "1.1", "1.1");
    ticks.pipeInput("EURUSD", locked);
    assertThat(sink.calls).containsExactly(List.of(locked));
  }

  static Stream<Arguments> invalidTicks() {
    return Stream.of(
        Arguments.of("EURUSD", tick("EURUSD", 1, "0", "1.1"), TickRules.INVALID_TICK),
        Arguments.of("EURUSD", tick("EURUSD", 1, "1.1", "-1.2"), TickRules.INVALID_TICK),
        Arguments.of("EURUSD", tick("EURUSD", 1, "1.2", "1.1"), TickRules.INVALID_TICK),
        Arguments.of("EURUSD", tick("EURUSD", -1, "1.1", "1.2"), TickRules.INVALID_TICK),
        Arguments.of(" ", tick(" ", 1, "1.1", "1.2"), TickRules.INVALID_TICK),
        Arguments.of(
            "EURUSD",
            Tick.newBuilder(tick("EURUSD", 1)).setTs(Instant.ofEpochMilli(-1)).build(),
            TickRules.INVALID_TICK),
        Arguments.of(
            "EURUSD",
            Tick.newBuilder(tick("EURUSD", 1)).setLastSize(Decimals.of("-1")).build(),
            TickRules.INVALID_TICK),
        Arguments.of("GBPUSD", tick("EURUSD", 1), TickRules.KEY_MISMATCH),
        Arguments.of(null, tick("EURUSD", 1), TickRules.NULL_KEY));
  }

  @ParameterizedTest
  @MethodSource("invalidTicks")
  void invalidTicksGoToTheDlqAsReceivedWithTheReason(String key, Tick invalid, String reason) {
    byte[] value = tickSerde.serializer().serialize(Topics.MARKET_TICKS.name(), invalid);
    Headers headers = new RecordHeaders().add("trace-id", bytes("t-1"));
    rawTicks.pipeInput(new TestRecord<>(key == null ? null : bytes(key), value, headers));

    TestRecord<byte[], byte[]> out = dlq.readRecord();
    assertThat(out.key()).isEqualTo(key == null ? null : bytes(key));
    assertThat(out.value()).isEqualTo(value);
    assertThat(header(out, DeadLetters.REASON)).isEqualTo(reason);
    assertThat(header(out, DeadLetters.DETAIL)).isNotBlank();
    assertThat(header(out, DeadLetters.APP)).isEqualTo("quotes");
    assertThat(header(out, "trace-id")).isEqualTo("t-1");
    assertThat(sink.calls).isEmpty();
    assertThat(quotes.isEmpty()).isTrue();
  }

  @Test
  void unreadableAndNullValuesGoToTheDlq() {
    byte[] garbage = {(byte) 0xFF};
    rawTicks.pipeInput(bytes("EURUSD"), garbage);
    rawTicks.pipeInput(bytes("EURUSD"), (byte[]) null);

    List<TestRecord<byte[], byte[]>> out = dlq.readRecordsToList();
    assertThat(out).extracting(TestRecord::value).containsExactly(garbage, null);
    assertThat(out)
        .extracting(r -> header(r, DeadLetters.REASON))
        .containsExactly(TickRules.UNREADABLE, TickRules.NULL_VALUE);
    assertThat(sink.calls).isEmpty();
    assertThat(quotes.isEmpty()).isTrue();
  }

  @Test
  void aDlqRecordCarriesOneReasonEvenIfItHadOneBefore() {
    Headers headers = new RecordHeaders().add(DeadLetters.REASON, bytes("stale"));
    rawTicks.pipeInput(new TestRecord<>(bytes("EURUSD"), null, headers));
    assertThat(dlq.readRecord().headers().headers(DeadLetters.REASON)).hasSize(1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(TestRecord<byte[], byte[]> record, String key) {
    var h = record.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
