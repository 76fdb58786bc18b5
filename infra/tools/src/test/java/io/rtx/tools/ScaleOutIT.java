package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtx.schemas.Component;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * The platform scaled out on one machine: a KRaft cluster of three brokers (replication 3, {@code
 * min.insync.replicas} 2), two instances of each Streams app sharing its application id, two
 * Connect workers in one group. Under load, one broker and one instance of each app are killed
 * (SIGKILL) and not started again until the load is over: the rest carry on, and afterwards every
 * tick is in TimescaleDB exactly once, every closed 1s candle equals SQL over the ticks and every
 * quote is the newest tick of its symbol.
 */
@UsesLocalStack(
    value = {
      Component.POSTGRES,
      Component.KAFKA,
      Component.REGISTRY,
      Component.CONNECT,
      Component.REDIS,
      Component.CANDLES,
      Component.QUOTES
    },
    isolated = true,
    brokers = 3,
    instances = 2)
class ScaleOutIT {

  private static final List<Component> APPS = List.of(Component.CANDLES, Component.QUOTES);

  private final LocalStack stack;

  ScaleOutIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void oneBrokerAndOneInstanceOfEachAppKilledUnderLoadLoseAndDoubleNothing() throws Exception {
    stack.stack().applyTopics(line -> {});
    stack.deployConnectors();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      assertThat(admin.describeCluster().nodes().get()).hasSize(3);
      TopicDescription ticks =
          admin
              .describeTopics(List.of(Topics.MARKET_TICKS.name()))
              .allTopicNames()
              .get()
              .get(Topics.MARKET_TICKS.name());
      assertThat(ticks.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
      Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
      assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
      // each app's group has both instances, the sinks' group both workers
      for (Component app : APPS) {
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> members(admin, app.applicationId().orElseThrow()).size() == 2);
      }
      await().atMost(Duration.ofMinutes(1)).until(() -> connectWorkers().size() == 2);

      MarketOracle market = new MarketOracle(stack, "SCALE");
      long started = System.nanoTime();
      CompletableFuture<SimulateCommand.Report> load =
          CompletableFuture.supplyAsync(() -> market.feed(20_000, 500));
      Thread.sleep(10_000);
      stack.stack().kill(Component.KAFKA, 2);
      for (Component app : APPS) {
        stack.stack().kill(app, 2);
      }
      SimulateCommand.Report sent = load.get();
      Duration feeding = Duration.ofNanos(System.nanoTime() - started);
      // the survivors took over: each group is down to the one instance left
      for (Component app : APPS) {
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> members(admin, app.applicationId().orElseThrow()).size() == 1);
      }
      Duration toNewestQuotes = market.closeAndCheck(sent);
      System.out.printf(
          "scale-out: sent %s in %s with broker 2, candles-2 and quotes-2 killed 10 s in;"
              + " every quote the newest tick %s after the last%n",
          sent, feeding, toNewestQuotes);
    }
  }

  private static Set<String> members(Admin admin, String group) throws Exception {
    return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
        .map(m -> m.consumerId())
        .collect(Collectors.toSet());
  }

  /** The workers that run a task of some connector, by the worker's own id. */
  private Set<String> connectWorkers() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors?expand=status"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Set<String> workers = new java.util.HashSet<>();
    new ObjectMapper()
        .readTree(r.body())
        .forEach(
            connector ->
                connector
                    .path("status")
                    .path("tasks")
                    .forEach(task -> workers.add(task.path("worker_id").asText())));
    return workers;
  }
}
