package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtx.launcher.PrometheusConfig;
import io.rtx.launcher.StackSettings;
import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Metrics on the real stack: a real Prometheus (Debian's, on a private port, with the configuration
 * {@code ./rtx up} renders from {@code infra/prometheus}) scrapes every component and finds every
 * target up; every metric the alert rules and the Grafana dashboard query is one the stack exports.
 */
@UsesLocalStack({
  Component.POSTGRES,
  Component.REDIS,
  Component.KAFKA,
  Component.REGISTRY,
  Component.CONNECT,
  Component.CANDLES,
  Component.QUOTES,
  Component.ORDERS,
  Component.OPS,
  Component.POSTGRES_EXPORTER,
  Component.REDIS_EXPORTER
})
class MetricsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final LocalStack stack;

  MetricsIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void prometheusScrapesEveryComponentAndEveryTargetIsUp() throws Exception {
    Path config = PrometheusConfig.write(stack.settings());
    Path data = Files.createDirectories(stack.settings().home().resolve("data/prometheus-it"));
    int port = freePort();
    Process prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--web.listen-address=" + StackSettings.HOST + ":" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(stack.settings().log("prometheus-it").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try {
      String targets = "http://" + StackSettings.HOST + ":" + port + "/api/v1/targets";
      Map<String, String> expected = new TreeMap<>();
      for (Component c : PrometheusConfig.SCRAPED) {
        expected.put(c.id(), "up " + StackSettings.HOST + ":" + stack.settings().port(c));
      }
      // every target scraped once (health no longer "unknown"), then each must be up
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(
              () -> {
                Map<String, String> now = health(get(targets));
                return now.keySet().equals(expected.keySet())
                    && now.values().stream().noneMatch(h -> h.startsWith("unknown"));
              });
      Map<String, String> health = health(get(targets));
      assertThat(health).as(get(targets)).isEqualTo(expected);
    } finally {
      prometheus.destroy();
      prometheus.waitFor();
    }
  }

  @Test
  void everyMetricTheRulesAndTheDashboardQueryIsExported() throws Exception {
    // the ops service's lag metrics exist once a group committed on a topic: a few ticks, whichever
    // classes ran before
    stack.stack().applyTopics(line -> {});
    Properties producer = new Properties();
    producer.put("bootstrap.servers", stack.bootstrapServers());
    producer.put("registry.url", stack.registryUrl());
    SimulateCommand.run(
        SimulateCommand.Options.of(
                List.of(new MarketGenerator(Instrument.parse("METEUR"), 1, 0, 0, "METRICSIT", 1)),
                producer)
            .upTo(100)
            .quietly());
    // the ledger capture's slot and WAL sender exist once its connector runs
    stack.deployConnectors();
    // a query timed, so the apps' request histogram exists
    get(stack.settings().httpUrl(Component.CANDLES) + "/candles?symbol=EURUSD&interval=1m&limit=1");
    Path repo = stack.repo();
    List<String> exprs =
        new ArrayList<>(PromQl.ruleExpressions(repo.resolve("infra/prometheus/rules")));
    exprs.addAll(PromQl.dashboardExpressions(repo.resolve("infra/grafana/rtx-dashboard.json")));
    Set<String> queried = new TreeSet<>();
    exprs.forEach(e -> queried.addAll(PromQl.metricNames(e)));
    queried.remove("up"); // Prometheus' own, one per target

    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              Set<String> exported = new TreeSet<>();
              for (Component c : PrometheusConfig.SCRAPED) {
                exported.addAll(metricNames(get(stack.settings().httpUrl(c) + "/metrics")));
              }
              assertThat(exported).containsAll(queried);
            });
  }

  /**
   * Each target's job mapped to its health and address, e.g. {@code candles → up 127.0.0.1:8090}.
   */
  private static Map<String, String> health(String targets) throws Exception {
    Map<String, String> health = new TreeMap<>();
    for (JsonNode t : JSON.readTree(targets).path("data").path("activeTargets")) {
      String problem = t.path("lastError").asText();
      health.put(
          t.path("labels").path("job").asText(),
          t.path("health").asText()
              + " "
              + t.path("labels").path("instance").asText()
              + (problem.isEmpty() ? "" : " " + problem));
    }
    return health;
  }

  /** The metric names of a Prometheus text exposition. */
  private static Set<String> metricNames(String exposition) {
    return exposition
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private String get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
