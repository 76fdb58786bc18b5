package io.rtx.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtx.schemas.Component;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.Names;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The ops service as {@code ./rtx up} starts it: its API answers the stack's status, the lag of the
 * platform's real groups, the connectors and the actions on them, and {@code /metrics} carries
 * kafka-lag-exporter's names with those groups.
 */
@UsesLocalStack({Component.OPS, Component.CANDLES, Component.QUOTES})
class OpsServiceIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The connector the actions touch: pausing it briefly harms no other test on the stack. */
  private static final String CONNECTOR = "rtx-candles-sink";

  private final LocalStack stack;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  OpsServiceIT(LocalStack stack) {
    this.stack = stack;
    this.base = stack.settings().httpUrl(Component.OPS);
  }

  private HttpResponse<String> call(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = call("GET", path);
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private String connectorState(String name) throws Exception {
    for (JsonNode c : get("/api/connectors").path("connectors")) {
      if (c.path("name").asText().equals(name)) {
        return c.path("state").asText();
      }
    }
    return "absent";
  }

  @Test
  void answersStatusLagConnectorsActionsAndMetrics() throws Exception {
    stack.deployConnectors();
    // ticks the apps and the ticks sink consume, so their groups commit (symbols of this test)
    try (KafkaProducer<String, Tick> producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()),
            new StringSerializer(),
            RegistrySerdes.<Tick>value(stack.registryUrl()).serializer())) {
      Instant now = Instant.now();
      for (String symbol : List.of("OPSEUR", "OPSGBP", "OPSJPY", "OPSCHF")) {
        for (int seq = 1; seq <= 50; seq++) {
          BigDecimal bid = new BigDecimal("1.08").add(new BigDecimal(seq).movePointLeft(5));
          Tick tick =
              Tick.newBuilder()
                  .setSymbol(symbol)
                  .setSeq(seq)
                  .setTs(now.plusMillis(seq))
                  .setBid(Decimals.of(bid))
                  .setAsk(Decimals.of(bid.add(new BigDecimal("0.00012"))))
                  .setVenue("OPSIT")
                  .build();
          producer.send(new ProducerRecord<>(Topics.MARKET_TICKS.name(), symbol, tick));
        }
      }
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> call("GET", "/api/status").statusCode() == 200);
    JsonNode status = get("/api/status");
    List<String> up = new ArrayList<>();
    for (JsonNode c : status.path("components")) {
      assertThat(c.path("endpoint").asText()).isNotEmpty();
      if (c.path("up").asBoolean()) {
        up.add(c.path("component").asText());
      }
    }
    assertThat(status.path("components")).hasSize(Component.values().length);
    assertThat(up).contains("postgres", "kafka", "registry", "connect", "candles", "quotes", "ops");

    String[] groups = {"rtx-candles", "rtx-quotes", Names.sinkGroup("rtx-ticks-sink")};
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> {
              JsonNode lag = get("/api/lag");
              for (String g : groups) {
                boolean seen = false;
                for (JsonNode group : lag.path("groups")) {
                  seen |=
                      group.path("group").asText().equals(g)
                          && group.path("members").asInt() > 0
                          && group.path("partitions").size() > 0;
                }
                if (!seen) {
                  return false;
                }
              }
              return true;
            });
    JsonNode quotes = get("/api/lag?group=rtx-quotes");
    assertThat(quotes.path("groups")).hasSize(1);
    JsonNode q = quotes.path("groups").get(0);
    assertThat(q.path("group").asText()).isEqualTo("rtx-quotes");
    assertThat(q.path("max_lag_seconds").isTextual()).isTrue();
    JsonNode partition = q.path("partitions").get(0);
    assertThat(partition.path("lag").asLong())
        .isEqualTo(
            partition.path("end_offset").asLong() - partition.path("committed_offset").asLong());

    assertThat(connectorState("rtx-ticks-sink")).isEqualTo("RUNNING");
    JsonNode sink = null;
    for (JsonNode c : get("/api/connectors").path("connectors")) {
      if (c.path("name").asText().equals("rtx-ticks-sink")) {
        sink = c;
      }
    }
    assertThat(sink.path("type").asText()).isEqualTo("sink");
    assertThat(sink.path("tasks").size()).isPositive();

    HttpResponse<String> pause = call("POST", "/api/connectors/" + CONNECTOR + "/pause");
    assertThat(pause.statusCode()).as(pause.body()).isEqualTo(202);
    assertThat(JSON.readTree(pause.body()))
        .isEqualTo(JSON.readTree("{\"connector\":\"" + CONNECTOR + "\",\"action\":\"pause\"}"));
    await().atMost(Duration.ofSeconds(30)).until(() -> connectorState(CONNECTOR).equals("PAUSED"));
    assertThat(call("POST", "/api/connectors/" + CONNECTOR + "/resume").statusCode())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> connectorState(CONNECTOR).equals("RUNNING"));
    HttpResponse<String> restart = call("POST", "/api/connectors/" + CONNECTOR + "/restart");
    assertThat(restart.statusCode()).as(restart.body()).isEqualTo(202);
    assertThat(JSON.readTree(restart.body()))
        .isEqualTo(JSON.readTree("{\"connector\":\"" + CONNECTOR + "\",\"action\":\"restart\"}"));
    await().atMost(Duration.ofSeconds(60)).until(() -> connectorState(CONNECTOR).equals("RUNNING"));

    HttpResponse<String> unknown = call("POST", "/api/connectors/no-such-connector/restart");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no connector no-such-connector");
    assertThat(
            call("POST", "/api/connectors/" + CONNECTOR + "/restart?only_failed=maybe")
                .statusCode())
        .isEqualTo(400);

    String metrics = call("GET", "/metrics").body();
    assertThat(metrics)
        .contains("kafka_consumergroup_group_max_lag{cluster_name=\"local\",group=\"rtx-quotes\"}")
        .contains(
            "kafka_consumergroup_group_max_lag_seconds{cluster_name=\"local\",group=\"rtx-candles\"}")
        .contains(
            "kafka_consumergroup_group_max_lag{cluster_name=\"local\",group=\"connect-rtx-ticks-sink\"}")
        .containsPattern(
            "kafka_consumergroup_group_lag\\{client_id=\"[^\"]*\",cluster_name=\"local\",consumer_id=\"[^\"]*\",group=\"rtx-quotes\",member_host=\"[^\"]*\",partition=\"\\d+\",topic=\"market.ticks\"}")
        .containsPattern(
            "kafka_consumergroup_group_lag_seconds\\{[^}]*group=\"connect-rtx-ticks-sink\"[^}]*topic=\"market.ticks\"}")
        .containsPattern(
            "kafka_consumergroup_group_offset\\{[^}]*group=\"rtx-candles\"[^}]*topic=\"market.ticks\"}")
        .containsPattern(
            "kafka_partition_latest_offset\\{cluster_name=\"local\",partition=\"0\",topic=\"market.ticks\"}")
        .contains("rtx_connect_connector_state{connector=\"rtx-ticks-sink\",state=\"RUNNING\"} 1.0")
        .containsPattern(
            "rtx_connect_task_state\\{connector=\"rtx-ticks-sink\",state=\"RUNNING\",task=\"0\"} 1.0")
        .contains("rtx_component_up{component=\"kafka\"} 1.0")
        .contains("rtx_ticks_in_per_second")
        .contains("rtx_ticks_landed_per_second{group=\"connect-rtx-ticks-sink\"}");
  }
}
