package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtx.common.ConsumerLag;
import io.rtx.launcher.ConnectClient;
import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ./rtx lag} on a real stack under load: with the ticks sink stopped, {@code --max-seconds
 * 2} exits 1 naming the sink's group, whose seconds are the age of the first record it has not
 * consumed (read here independently); once the sink is resumed and has caught up, it exits 0. The
 * waits are on the partitions this test wrote and the offsets its sends reached, with room for a
 * loaded machine: on the suite's shared stack other tests' groups and apps may be busy.
 */
// Shared stack: the sink is stopped for seconds, then resumed and caught up before the test ends.
@UsesLocalStack({Component.POSTGRES, Component.KAFKA, Component.REGISTRY, Component.CONNECT})
class LagIT {

  private static final String SINK = "rtx-ticks-sink";
  private static final String GROUP = Names.sinkGroup(SINK);

  /** This test's ticks: its own symbols and venue. */
  private static final String SYMBOLS = "LAGEUR,LAGGBP,LAGJPY";

  private static final String VENUE = "LAGIT";

  private final LocalStack stack;

  LagIT(LocalStack stack) {
    this.stack = stack;
  }

  record Run(int exit, String out, String err) {}

  private Run lag(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env =
        Map.of(
            "RTX_HOME", stack.settings().home().toString(),
            "RTX_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
            "RTX_CONNECT_URL", stack.connectUrl());
    int exit =
        new CommandLine(
                new LagCommand(
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    env))
            .execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The end offset of every partition of market.ticks. */
  private Map<TopicPartition, Long> tickEnds(Admin admin) throws Exception {
    return ConsumerLag.endOffsets(admin, Topics.MARKET_TICKS.name());
  }

  /** The partitions whose end moved from {@code before} to {@code after}, with the end after. */
  private static Map<TopicPartition, Long> written(
      Map<TopicPartition, Long> before, Map<TopicPartition, Long> after) {
    Map<TopicPartition, Long> moved = new HashMap<>();
    after.forEach(
        (tp, end) -> {
          if (end > before.getOrDefault(tp, 0L)) {
            moved.put(tp, end);
          }
        });
    return moved;
  }

  /** The sink's group has committed at or past {@code offsets} in each of those partitions. */
  private boolean committedPast(Admin admin, Map<TopicPartition, Long> offsets) throws Exception {
    Map<TopicPartition, Long> committed = ConsumerLag.committed(admin, GROUP);
    return offsets.entrySet().stream()
        .allMatch(e -> committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
  }

  /** The sink's group has committed past {@code offsets} in at least one of those partitions. */
  private boolean committedBeyondAny(Admin admin, Map<TopicPartition, Long> offsets)
      throws Exception {
    Map<TopicPartition, Long> committed = ConsumerLag.committed(admin, GROUP);
    return offsets.entrySet().stream()
        .anyMatch(e -> committed.getOrDefault(e.getKey(), -1L) > e.getValue());
  }

  private Properties producer() {
    Properties producer = new Properties();
    producer.put("bootstrap.servers", stack.bootstrapServers());
    producer.put("registry.url", stack.registryUrl());
    producer.put("acks", "all");
    return producer;
  }

  private static MarketGenerator feed(long seed, long firstSeq) {
    return new MarketGenerator(Instrument.parse(SYMBOLS), seed, 0, 0, VENUE, firstSeq);
  }

  @Test
  void aStoppedSinkUnderLoadIsOverTheLimitUntilItCatchesUp() throws Exception {
    stack.stack().applyTopics(line -> {});
    stack.deployConnectors();
    ConnectClient connect = stack.stack().connect();
    Properties adminProps = new Properties();
    adminProps.put("bootstrap.servers", stack.bootstrapServers());
    try (Admin admin = Admin.create(adminProps)) {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  connect.state(SINK).state().equals("RUNNING")
                      && !connect.state(SINK).tasks().isEmpty()
                      && connect.state(SINK).tasks().stream()
                          .allMatch(t -> t.state().equals("RUNNING")));
      Map<TopicPartition, Long> before = tickEnds(admin);
      CompletableFuture<SimulateCommand.Report> load =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return SimulateCommand.run(
                      SimulateCommand.Options.of(List.of(feed(7, 1)), producer())
                          .atRate(1_000)
                          .runFor(Duration.ofSeconds(40))
                          .quietly());
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      try {
        // the sink lands our ticks: its group committed past where our partitions ended before
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> committedBeyondAny(admin, before));

        connect.stop(SINK);
        // records behind the stopped sink, whether or not the load is still running
        SimulateCommand.run(
            SimulateCommand.Options.of(List.of(feed(8, 1_000_000)), producer())
                .upTo(300)
                .quietly());
        Map<TopicPartition, Long> waiting = written(before, tickEnds(admin));
        // records pile up behind the stopped sink until the oldest is well over the limit
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> lag("--group", GROUP, "--samples", "1", "--max-seconds", "4").exit() == 1);

        Run over = lag("--max-seconds", "2", "--json");
        assertThat(over.exit()).as(over.err()).isEqualTo(1);
        assertThat(over.err()).contains("rtx: " + GROUP + " is ").contains("(over 2 s)");
        JsonNode report = new ObjectMapper().readTree(over.out());
        JsonNode group = null;
        for (JsonNode g : report.path("groups")) {
          if (g.path("group").asText().equals(GROUP)) {
            group = g;
          }
        }
        assertThat(group).as("the sink's group in %s", over.out()).isNotNull();
        assertThat(group.path("status").asText()).isEqualTo("STOPPED");
        assertThat(group.path("members").asInt()).isZero();

        // each partition's seconds: the report's time minus the timestamp of the record at the
        // committed offset, read here with a consumer of our own (the sink is stopped: nothing
        // moves)
        long reportAt = Instant.parse(report.path("at").asText()).toEpochMilli();
        Map<TopicPartition, Long> committed = ConsumerLag.committed(admin, GROUP);
        BigDecimal max = BigDecimal.ZERO;
        int checked = 0;
        for (JsonNode p : group.path("partitions")) {
          TopicPartition tp =
              new TopicPartition(p.path("topic").asText(), p.path("partition").asInt());
          assertThat(p.path("committed_offset").asLong()).isEqualTo(committed.get(tp));
          assertThat(p.path("lag").asLong())
              .isEqualTo(p.path("end_offset").asLong() - committed.get(tp));
          BigDecimal seconds = new BigDecimal(p.path("lag_seconds").asText());
          max = max.max(seconds);
          if (!waiting.containsKey(tp)) {
            continue; // not written by this test: another test's records, or none
          }
          assertThat(p.path("lag").asLong()).as("lag of %s", tp).isPositive();
          long timestamp = timestampAt(tp, committed.get(tp));
          // the age of the first record the sink has not consumed, as its timestamp says: to the
          // millisecond (the issue asks for within a second)
          assertThat(seconds)
              .as("seconds of %s", tp)
              .isEqualTo(BigDecimal.valueOf(reportAt - timestamp, 3));
          assertThat(seconds.doubleValue()).isGreaterThan(2);
          checked++;
        }
        assertThat(checked).isEqualTo(waiting.size()).isPositive();
        assertThat(new BigDecimal(group.path("max_lag_seconds").asText())).isEqualTo(max);
      } finally {
        connect.resume(SINK);
      }

      load.get(5, TimeUnit.MINUTES);
      // caught up: committed up to where our sends ended, in the partitions they went to (other
      // partitions may hold other tests' records)
      Map<TopicPartition, Long> sent = written(before, tickEnds(admin));
      try {
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> committedPast(admin, sent));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            SINK
                + " did not commit up to "
                + sent
                + " (committed "
                + ConsumerLag.committed(admin, GROUP)
                + "); "
                + connect.state(SINK),
            e);
      }
      // only the sink's group: on a shared stack other tests' groups may be busy
      Run caughtUp =
          await()
              .atMost(Duration.ofMinutes(1))
              .pollInterval(Duration.ofSeconds(1))
              .until(() -> lag("--group", GROUP, "--max-seconds", "2"), r -> r.exit() == 0);
      assertThat(caughtUp.out()).containsPattern("(?m)^" + GROUP + " +OK ");
    }
  }

  /** The timestamp of the record at {@code offset}, read by a consumer of our own. */
  private long timestampAt(TopicPartition tp, long offset) {
    Properties p = new Properties();
    p.put("bootstrap.servers", stack.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.assign(List.of(tp));
      c.seek(tp, offset);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          assertThat(r.offset()).isEqualTo(offset);
          return r.timestamp();
        }
      }
    }
    throw new AssertionError("no record at " + tp + "@" + offset);
  }
}
