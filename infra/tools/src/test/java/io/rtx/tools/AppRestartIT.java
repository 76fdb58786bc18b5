package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.common.ConsumerLag;
import io.rtx.schemas.Component;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A Streams app stopped and started again under load processes again within seconds: on a clean
 * shutdown it leaves its group (so the group does not wait out the old member's session), and
 * {@code up} returns only once the app is RUNNING. It restarts apps, so it has a stack of its own.
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
class AppRestartIT {

  private static final Duration WITHIN = Duration.ofSeconds(5);

  private final LocalStack stack;

  AppRestartIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void anAppRestartedUnderLoadProcessesAgainWithinFiveSeconds() throws Exception {
    Thread load = new Thread(this::tickFeed, "restart-load");
    load.start();
    Map<Component, Duration> dark = new LinkedHashMap<>();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      // the candles app commits every 100 ms (exactly-once): a commit past where it stopped is its
      // processing again
      String candles = Component.CANDLES.applicationId().orElseThrow();
      awaitCommitBeyond(admin, candles, ConsumerLag.committed(admin, candles));
      stack.stop(Component.CANDLES);
      Map<TopicPartition, Long> atStop = ConsumerLag.committed(admin, candles);
      stack.ensure(List.of(Component.CANDLES));
      long up = System.nanoTime();
      awaitCommitBeyond(admin, candles, atStop);
      dark.put(Component.CANDLES, Duration.ofNanos(System.nanoTime() - up));

      // the quotes app commits only every second, but each flush (every 1 ms) writes to
      // market.quotes: a quote there after it stopped is its processing again
      try (KafkaConsumer<byte[], byte[]> quotes = quotesAtEnd()) {
        awaitRecord(quotes);
        stack.stop(Component.QUOTES);
        quotes.seekToEnd(quotes.assignment());
        quotes.assignment().forEach(quotes::position); // the end, fixed before the restart
        stack.ensure(List.of(Component.QUOTES));
        up = System.nanoTime();
        awaitRecord(quotes);
        dark.put(Component.QUOTES, Duration.ofNanos(System.nanoTime() - up));
      }
    } finally {
      load.interrupt();
      load.join(10_000);
    }
    System.out.println("restart under load, up returned → processing again: " + dark);
    assertThat(dark).allSatisfy((app, d) -> assertThat(d).as(app.id()).isLessThan(WITHIN));

    // each app said, in its log, with what settings it started and every state it went through
    for (Component app : List.of(Component.CANDLES, Component.QUOTES)) {
      // the first run's log, rotated when the app started again, then the second's
      java.nio.file.Path current = stack.settings().log(app.id());
      String log =
          Files.readString(current.resolveSibling(app.id() + ".log.1")) + Files.readString(current);
      String id = app.applicationId().orElseThrow();
      assertThat(log)
          .as(app.id() + " log")
          .contains(id + " settings: {")
          .contains("kafka.bootstrap.servers=" + stack.bootstrapServers())
          .contains(id + " state CREATED -> REBALANCING")
          .contains(id + " state REBALANCING -> RUNNING")
          .contains(id + " state RUNNING -> PENDING_SHUTDOWN")
          .contains(id + " state PENDING_SHUTDOWN -> NOT_RUNNING");
    }
  }

  /** Waits until {@code group} has committed beyond {@code offsets} in some partition. */
  private static void awaitCommitBeyond(
      Admin admin, String group, Map<TopicPartition, Long> offsets) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                ConsumerLag.committed(admin, group).entrySet().stream()
                    .anyMatch(e -> e.getValue() > offsets.getOrDefault(e.getKey(), -1L)));
  }

  /** A consumer of every partition of market.quotes, from its end. */
  private KafkaConsumer<byte[], byte[]> quotesAtEnd() {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", stack.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.MARKET_QUOTES.name()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    return consumer;
  }

  /** Polls until a record arrives (at most two minutes). */
  private static void awaitRecord(KafkaConsumer<byte[], byte[]> consumer) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollDelay(Duration.ZERO)
        .until(() -> !consumer.poll(Duration.ofMillis(50)).isEmpty());
  }

  /** 1,000 ticks/s until interrupted. */
  private void tickFeed() {
    Properties producer = new Properties();
    producer.put("bootstrap.servers", stack.bootstrapServers());
    producer.put("registry.url", stack.registryUrl());
    producer.put("acks", "all");
    try {
      SimulateCommand.run(
          SimulateCommand.Options.of(
                  List.of(
                      new MarketGenerator(
                          Instrument.parse("EURUSD,GBPUSD,USDJPY"), 11, 0, 0, "SIM", 1)),
                  producer)
              .atRate(1_000)
              .runFor(Duration.ofMinutes(10))
              .quietly());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
