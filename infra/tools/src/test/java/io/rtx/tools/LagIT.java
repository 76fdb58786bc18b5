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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ./rtx lag} on a real stack under load: with the ticks sink stopped, {@code --max-seconds
 * 2} exits 1 naming the sink's group, whose seconds are the age of the first record it has not
 * consumed (read here independently); once the sink is resumed and has caught up, it exits 0.
 */
// Shared stack: the sink is stopped for seconds, then resumed and caught up before the test ends.
@UsesLocalStack({Component.POSTGRES, Component.KAFKA, Component.REGISTRY, Component.CONNECT})
class LagIT {

  private static final String SINK = "rtx-ticks-sink";
  private static final String GROUP = Names.sinkGroup(SINK);

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

  private long sinkLag(Admin admin) throws Exception {
    return ConsumerLag.of(admin, GROUP, Topics.MARKET_TICKS.name()).orElse(-1);
  }

  @Test
  void aStoppedSinkUnderLoadIsOverTheLimitUntilItCatchesUp() throws Exception {
    stack.stack().applyTopics(line -> {});
    stack.deployConnectors();
    ConnectClient connect = stack.stack().connect();
    Properties producer = new Properties();
    producer.put("bootstrap.servers", stack.bootstrapServers());
    producer.put("registry.url", stack.registryUrl());
    MarketGenerator feed =
        new MarketGenerator(Instrument.parse("EURUSD,GBPUSD,USDJPY"), 7, 0, 0, "LAG", 1);
    CompletableFuture<SimulateCommand.Report> load =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return SimulateCommand.run(
                    SimulateCommand.Options.of(List.of(feed), producer)
                        .atRate(2_000)
                        .runFor(Duration.ofSeconds(45))
                        .quietly());
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Properties adminProps = new Properties();
    adminProps.put("bootstrap.servers", stack.bootstrapServers());
    try (Admin admin = Admin.create(adminProps)) {
      // the sink lands ticks: its group has committed
      await().atMost(Duration.ofSeconds(120)).until(() -> sinkLag(admin) >= 0);

      connect.stop(SINK);
      // records pile up behind the stopped sink until the oldest is well over the limit
      await()
          .atMost(Duration.ofSeconds(60))
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
      // committed offset, read here with a consumer of our own (the sink is stopped: nothing moves)
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
        if (p.path("lag").asLong() == 0) {
          assertThat(seconds).isEqualByComparingTo("0");
          continue;
        }
        long timestamp = timestampAt(tp, committed.get(tp));
        assertThat(seconds).isEqualTo(BigDecimal.valueOf(reportAt - timestamp, 3));
        assertThat(seconds.doubleValue()).isGreaterThan(2);
        max = max.max(seconds);
        checked++;
      }
      assertThat(checked).isPositive();
      assertThat(new BigDecimal(group.path("max_lag_seconds").asText())).isEqualTo(max);

      connect.resume(SINK);
      load.get();
      await().atMost(Duration.ofSeconds(180)).until(() -> sinkLag(admin) == 0);
      // only the sink's group: on a shared stack other tests' groups may be busy
      Run caughtUp = lag("--group", GROUP, "--max-seconds", "2");
      assertThat(caughtUp.exit()).as(caughtUp.out() + caughtUp.err()).isZero();
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
