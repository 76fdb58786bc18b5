package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.candles.CandleInterval;
import io.rtx.candles.CandleSerdes;
import io.rtx.candles.CandleSettings;
import io.rtx.candles.CandleTopology;
import io.rtx.candles.PriceBasis;
import io.rtx.schemas.Candle;
import io.rtx.schemas.Component;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live window's final candle is published when stream time closes the window, not at the next
 * periodic commit: the candle topology, exactly-once on the real broker with commits every 5
 * minutes, publishes the final candles of the 1s windows its live ticks close, each equal to the
 * window's ticks. Only the commit the gate asks for when a window closes ({@code LiveCloses}) makes
 * them readable (read_committed) within the test's minute.
 */
@UsesLocalStack({Component.KAFKA, Component.REGISTRY})
class CandleCloseIT {

  private static final String SYMBOL = "CLOSEIT";

  private final LocalStack stack;

  CandleCloseIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void aLiveWindowsFinalCandleDoesNotWaitForThePeriodicCommit(@TempDir Path state)
      throws Exception {
    String run = "it.candle-close." + System.currentTimeMillis();
    List<String> topics =
        List.of(run + ".ticks", run + ".late", run + ".dlq", run + ".candles", run + ".live");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      admin
          .createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList())
          .all()
          .get();
    }
    CandleSettings settings =
        new CandleSettings(
            List.of(CandleInterval.parse("1s")),
            Duration.ofSeconds(1),
            PriceBasis.BID,
            10,
            Duration.ofSeconds(1),
            topics.get(0),
            topics.get(1),
            topics.get(2),
            topics.get(3),
            topics.get(4));
    // the test's topics have no subjects yet: the writers register them
    Serde<Tick> ticks = RegistrySerdes.autoRegistering(stack.registryUrl());
    Serde<Candle> candles = RegistrySerdes.autoRegistering(stack.registryUrl());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, run);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    long fiveMinutes = Duration.ofMinutes(5).toMillis();
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, fiveMinutes);
    // Streams refuses a transaction timeout shorter than the commit interval
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int) fiveMinutes);
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());

    List<Tick> sent = new ArrayList<>();
    try (KafkaStreams streams =
        new KafkaStreams(CandleTopology.build(settings, new CandleSerdes(ticks, candles)), props)) {
      streams.start();
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> streams.state() == KafkaStreams.State.RUNNING);

      // live ticks for 5 s: the windows of the first 3 s close (1 s of grace) while they flow
      MarketGenerator feed = new MarketGenerator(Instrument.parse(SYMBOL), 7, 0, 0, "IT", 1);
      Properties producer = new Properties();
      producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      try (KafkaProducer<String, Tick> out =
          new KafkaProducer<>(producer, new StringSerializer(), ticks.serializer())) {
        Instant end = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(end)) {
          Tick tick = feed.next(Instant.now().truncatedTo(ChronoUnit.MILLIS));
          sent.add(tick);
          out.send(new ProducerRecord<>(topics.get(0), SYMBOL, tick)).get();
          Thread.sleep(20);
        }
      }

      // a whole window of the feed (not the first: the first send waits for metadata and schema)
      Instant first = sent.get(0).getTs().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
      List<Tick> inFirst =
          sent.stream()
              .filter(t -> !t.getTs().isBefore(first) && t.getTs().isBefore(first.plusSeconds(1)))
              .sorted(Comparator.comparing(Tick::getTs).thenComparing(Tick::getSeq))
              .toList();
      assertThat(inFirst).hasSizeGreaterThan(10);

      Candle fin = finalCandle(topics.get(3), first, candles);
      assertThat(fin.getSymbol()).isEqualTo(SYMBOL);
      assertThat(fin.getInterval()).isEqualTo("1s");
      assertThat(fin.getIsFinal()).isTrue();
      assertThat(fin.getTickCount()).isEqualTo(inFirst.size());
      assertThat(fin.getOpen()).isEqualByComparingTo(inFirst.get(0).getBid());
      assertThat(fin.getClose()).isEqualByComparingTo(inFirst.get(inFirst.size() - 1).getBid());
      assertThat(fin.getHigh())
          .isEqualByComparingTo(
              inFirst.stream().map(Tick::getBid).max(Comparator.naturalOrder()).orElseThrow());
      assertThat(fin.getLow())
          .isEqualByComparingTo(
              inFirst.stream().map(Tick::getBid).min(Comparator.naturalOrder()).orElseThrow());
    }
  }

  /** The final candle of the window starting at {@code start}, read committed. */
  private Candle finalCandle(String topic, Instant start, Serde<Candle> candles) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.GROUP_ID_CONFIG,
            topic + ".reader");
    try (KafkaConsumer<String, Candle> in =
        new KafkaConsumer<>(config, new StringDeserializer(), candles.deserializer())) {
      in.subscribe(List.of(topic));
      List<Candle> finals = new ArrayList<>();
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () -> {
                for (ConsumerRecord<String, Candle> r : in.poll(Duration.ofMillis(200))) {
                  finals.add(r.value());
                }
                return finals.stream().anyMatch(c -> c.getBucketStart().equals(start));
              });
      return finals.stream()
          .filter(c -> c.getBucketStart().equals(start))
          .reduce(
              (a, b) -> {
                throw new AssertionError("two final candles for " + start + ": " + a + ", " + b);
              })
          .orElseThrow();
    }
  }
}
