package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.common.ConsumerLag;
import io.rtx.schemas.Candle;
import io.rtx.schemas.Component;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The schema registry down for 30 s under load, with the candles app restarted in the middle of the
 * outage: no good tick becomes a dead letter, the apps say why they wait, and once the registry is
 * back every tick sent is in exactly one final 1s candle. It stops the registry, so it has a stack
 * of its own.
 */
@UsesLocalStack(
    value = {
      Component.KAFKA,
      Component.REGISTRY,
      Component.REDIS,
      Component.CANDLES,
      Component.QUOTES
    },
    isolated = true)
class OutageIT {

  private final LocalStack stack;
  private final HttpClient http = HttpClient.newHttpClient();

  OutageIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void noGoodTickIsDeadLetteredWhileTheRegistryIsDown() throws Exception {
    String symbols = "EURUSD,GBPUSD,USDJPY";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      Map<TopicPartition, Long> dlqBefore = ends(admin, Topics.MARKET_TICKS_DLQ.name());
      Map<TopicPartition, Long> lateBefore = ends(admin, Topics.MARKET_TICKS_LATE.name());

      CompletableFuture<SimulateCommand.Report> load =
          CompletableFuture.supplyAsync(() -> feed(symbols, 1, 500, Duration.ofSeconds(50)));
      Thread.sleep(5_000);
      stack.stop(Component.REGISTRY);
      Thread.sleep(10_000);
      stack.stop(Component.CANDLES);
      stack.startAlone(Component.CANDLES);
      // the restarted app waits for the registry and says so
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions() // until it serves HTTP
          .until(() -> health(Component.CANDLES).contains("schema registry unreachable"));
      Thread.sleep(15_000);
      stack.ensure(List.of(Component.REGISTRY));
      SimulateCommand.Report sent = load.get();

      assertEveryTickInOneCandle(admin, symbols, sent, dlqBefore, lateBefore);
    }
  }

  @Test
  void theAppsRideOutABrokerOutage() throws Exception {
    String symbols = "AUDUSD,XAUUSD";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      Map<TopicPartition, Long> dlqBefore = ends(admin, Topics.MARKET_TICKS_DLQ.name());
      Map<TopicPartition, Long> lateBefore = ends(admin, Topics.MARKET_TICKS_LATE.name());

      CompletableFuture<SimulateCommand.Report> load =
          CompletableFuture.supplyAsync(() -> feed(symbols, 1, 500, Duration.ofSeconds(45)));
      Thread.sleep(10_000);
      stack.stop(Component.KAFKA);
      Thread.sleep(20_000);
      stack.ensure(List.of(Component.KAFKA));
      SimulateCommand.Report sent = load.get();

      assertEveryTickInOneCandle(admin, symbols, sent, dlqBefore, lateBefore);
    }
  }

  /**
   * After the load: 30 ticks 7 s on (grace 5 s), some of each symbol, close every window of it;
   * then every tick sent is in exactly one final 1s candle, none went to the DLQ or the late topic,
   * and both apps are RUNNING with nothing to say.
   */
  private void assertEveryTickInOneCandle(
      Admin admin,
      String symbols,
      SimulateCommand.Report sent,
      Map<TopicPartition, Long> dlqBefore,
      Map<TopicPartition, Long> lateBefore)
      throws Exception {
    Thread.sleep(7_000);
    feed(symbols, 2_000_000, 0, null);
    Set<String> ours = Set.of(symbols.split(","));
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(finalTicksPerSecondCandles(ours)).isEqualTo(sent.sent()));
    assertThat(since(Topics.MARKET_TICKS_DLQ.name(), dlqBefore)).isEmpty();
    assertThat(since(Topics.MARKET_TICKS_LATE.name(), lateBefore)).isEmpty();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(health(Component.CANDLES))
                  .contains("\"state\":\"RUNNING\"")
                  .doesNotContain("cause");
              assertThat(health(Component.QUOTES))
                  .contains("\"state\":\"RUNNING\"")
                  .doesNotContain("cause");
            });
  }

  /**
   * Ticks of {@code symbols} from {@code firstSeq}: at {@code rate} for {@code duration}, or 30 at
   * once.
   */
  private SimulateCommand.Report feed(String symbols, long firstSeq, long rate, Duration duration) {
    Properties producer = new Properties();
    producer.put("bootstrap.servers", stack.bootstrapServers());
    producer.put("registry.url", stack.registryUrl());
    producer.put("acks", "all");
    try {
      SimulateCommand.Options options =
          SimulateCommand.Options.of(
                  List.of(
                      new MarketGenerator(Instrument.parse(symbols), 5, 0, 0, "OUTAGE", firstSeq)),
                  producer)
              .quietly();
      return SimulateCommand.run(
          duration == null ? options.upTo(30).atRate(0) : options.atRate(rate).runFor(duration));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private String health(Component app) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(stack.settings().httpUrl(app) + "/health")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Sum of tick counts of the final 1s candles of {@code symbols} on the candles topic. */
  private long finalTicksPerSecondCandles(Set<String> symbols) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<String, Long> byWindow = new HashMap<>();
    try (KafkaConsumer<String, Candle> consumer =
        new KafkaConsumer<>(
            p,
            new StringDeserializer(),
            RegistrySerdes.<Candle>value(stack.registryUrl()).deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.MARKET_CANDLES.name()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        for (ConsumerRecord<String, Candle> r : consumer.poll(Duration.ofMillis(500))) {
          Candle c = r.value();
          if (c.getIsFinal() && c.getInterval().equals("1s") && symbols.contains(c.getSymbol())) {
            // a candle republished (a restart before its commit) counts once
            byWindow.put(c.getSymbol() + "@" + c.getBucketStart(), c.getTickCount());
          }
        }
      }
    }
    return byWindow.values().stream().collect(Collectors.summingLong(Long::longValue));
  }

  private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
    List<TopicPartition> partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(i -> new TopicPartition(topic, i.partition()))
            .toList();
    return ConsumerLag.endOffsets(admin, partitions);
  }

  /** The records of {@code topic} after {@code before}, each as its headers (why it is there). */
  private List<String> since(String topic, Map<TopicPartition, Long> before) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<String> found = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            p,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> partitions = List.copyOf(before.keySet());
      consumer.assign(partitions);
      partitions.forEach(tp -> consumer.seek(tp, before.get(tp)));
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          StringBuilder why = new StringBuilder(r.topic() + "@" + r.offset());
          r.headers()
              .forEach(
                  h ->
                      why.append(' ')
                          .append(h.key())
                          .append('=')
                          .append(
                              new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)
                                  .lines()
                                  .findFirst()
                                  .orElse("")));
          found.add(why.toString());
        }
      }
    }
    return found;
  }
}
