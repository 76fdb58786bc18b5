package io.rtx.candles;

import io.rtx.schemas.AvroBinarySerde;
import io.rtx.schemas.Candle;
import io.rtx.schemas.Tick;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The candles topology on a TopologyTestDriver, with its topics. */
final class CandleDriver implements AutoCloseable {

  static final AvroBinarySerde<Tick> TICK_SERDE = new AvroBinarySerde<>(Tick.class);
  static final AvroBinarySerde<Candle> CANDLE_SERDE = new AvroBinarySerde<>(Candle.class);
  static final CandleSerdes SERDES = new CandleSerdes(TICK_SERDE, CANDLE_SERDE);

  final CandleSettings settings;
  private final Path stateDir;
  final TopologyTestDriver driver;
  final TestInputTopic<String, Tick> ticks;
  final TestOutputTopic<String, Candle> candles;
  final TestOutputTopic<String, Candle> live;
  final TestOutputTopic<String, Tick> late;
  final TestOutputTopic<String, Tick> dlq;

  CandleDriver(CandleSettings settings) {
    this(settings, Ticks.CLOCK);
  }

  /** A driver whose app compares tick times with {@code clock} ({@code candles.max.ahead}). */
  CandleDriver(CandleSettings settings, java.time.Clock clock) {
    this.settings = settings;
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "candles-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try {
      stateDir = Files.createTempDirectory("candles-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(CandleTopology.build(settings, SERDES, clock), props);
    ticks =
        driver.createInputTopic(
            settings.ticksTopic(), new StringSerializer(), TICK_SERDE.serializer());
    candles =
        driver.createOutputTopic(
            settings.candlesTopic(), new StringDeserializer(), CANDLE_SERDE.deserializer());
    live =
        driver.createOutputTopic(
            settings.liveTopic(), new StringDeserializer(), CANDLE_SERDE.deserializer());
    late =
        driver.createOutputTopic(
            settings.lateTopic(), new StringDeserializer(), TICK_SERDE.deserializer());
    dlq =
        driver.createOutputTopic(
            settings.dlqTopic(), new StringDeserializer(), TICK_SERDE.deserializer());
  }

  /** Pipes ticks keyed by their symbol, at their event time. */
  void pipe(Tick... ticksInOrder) {
    for (Tick t : ticksInOrder) {
      ticks.pipeInput(t.getSymbol(), t, t.getTs().toEpochMilli());
    }
  }

  /** Sum over tasks of a metric of the candles scope, e.g. {@code late-ticks-total}. */
  double metric(String name) {
    return driver.metrics().entrySet().stream()
        .filter(
            e ->
                e.getKey().group().equals("stream-" + TickGate.METRIC_SCOPE + "-metrics")
                    && e.getKey().name().equals(name))
        .map(java.util.Map.Entry::getValue)
        .mapToDouble(m -> ((Number) ((Metric) m).metricValue()).doubleValue())
        .sum();
  }

  static String header(TestRecord<?, ?> record, String name) {
    List<Header> found =
        java.util.stream.StreamSupport.stream(record.headers().headers(name).spliterator(), false)
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one header " + name + ", got " + found.size() + " in " + record.headers());
    }
    return new String(found.get(0).value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    driver.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
