package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The simulator against a fake gateway (the JDK's HTTP server): what it sends, and that its report
 * counts exactly what the gateway answered.
 */
class SimulateOrdersCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Instrument> INSTRUMENTS = Instrument.parse("EURUSD,XAUUSD,BTCUSD");

  private HttpServer server;
  private ExecutorService serverThreads;
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> orderIds = Collections.synchronizedSet(new HashSet<>());
  private final Map<String, Integer> answered = Collections.synchronizedMap(new TreeMap<>());

  /** One request as the fake gateway received it. */
  private record Seen(String method, String path, String contentType, JsonNode body) {}

  @BeforeEach
  void startGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serverThreads = Executors.newFixedThreadPool(4);
    server.setExecutor(serverThreads);
    server.createContext("/orders", this::answer);
    server.start();
  }

  @AfterEach
  void stopGateway() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * A gateway with rules simple enough to predict: malformed orders 400, a reused order id
   * rejected, one account's orders rejected for two reasons, one account unavailable (503), sell
   * limits pending (202), the rest accepted. It counts what it answered, as the report should.
   */
  private void answer(HttpExchange x) throws IOException {
    JsonNode body = JSON.readTree(x.getRequestBody());
    seen.add(
        new Seen(
            x.getRequestMethod(),
            x.getRequestURI().getPath(),
            x.getRequestHeaders().getFirst("Content-Type"),
            body));
    String symbol = body.path("symbol").asText();
    String quantity = body.path("quantity").asText();
    String type = body.path("order_type").asText();
    boolean firstUse = orderIds.add(body.path("order_id").asText());
    if (symbol.equals(OrderFlow.UNKNOWN_SYMBOL)
        || new BigDecimal(quantity).signum() <= 0
        || (type.equals("LIMIT") && !body.has("limit_price"))) {
      reply(x, 400, "{\"error\":\"bad order\"}", "400");
    } else if (!firstUse) {
      reply(x, 200, decision(body, "REJECTED", "DUPLICATE_ORDER"), "REJECTED DUPLICATE_ORDER");
    } else if (body.path("account_id").asText().equals("ACC-0002")) {
      reply(
          x,
          200,
          decision(body, "REJECTED", "INSUFFICIENT_MARGIN\",\"RATE_LIMIT"),
          "REJECTED INSUFFICIENT_MARGIN+RATE_LIMIT");
    } else if (body.path("account_id").asText().equals("ACC-0003")) {
      reply(x, 503, "{\"error\":\"app is starting, retry shortly\"}", "503");
    } else if (type.equals("LIMIT") && body.path("side").asText().equals("SELL")) {
      reply(
          x,
          202,
          "{\"order_id\":\"" + body.path("order_id").asText() + "\",\"status\":\"PENDING\"}",
          "202");
    } else {
      reply(x, 200, decision(body, "ACCEPTED", null), "ACCEPTED");
    }
  }

  private static String decision(JsonNode order, String status, String reason) {
    return "{\"order_id\":\""
        + order.path("order_id").asText()
        + "\",\"account_id\":\""
        + order.path("account_id").asText()
        + "\",\"symbol\":\""
        + order.path("symbol").asText()
        + "\",\"status\":\""
        + status
        + "\",\"reasons\":["
        + (reason == null ? "" : "\"" + reason + "\"")
        + "],\"reserved_margin\":\"0\",\"free_margin_after\":\"100000.00\","
        + "\"decided_at\":\"2026-12-02T10:00:00Z\"}";
  }

  private void reply(HttpExchange x, int status, String json, String what) throws IOException {
    answered.merge(what, 1, Integer::sum);
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }

  private static SimulateOrdersCommand.Options options(
      URI url, long count, OrderFlow.Prices prices) {
    return new SimulateOrdersCommand.Options(
        SimulateOrdersCommand.flows(5, 2, INSTRUMENTS, 11, "T", prices),
        url,
        count,
        null,
        5_000,
        16,
        true);
  }

  @Test
  void sendsTheFlowAsTheGatewaysJsonAndCountsEveryAnswer() throws Exception {
    int count = 300;
    SimulateOrdersCommand.Report r =
        SimulateOrdersCommand.run(options(url(), count, OrderFlow.Prices.START), new OrderTally());

    // what was sent: the two flows' orders exactly, in the gateway's JSON
    List<String> expected = new ArrayList<>();
    for (OrderFlow flow :
        SimulateOrdersCommand.flows(5, 2, INSTRUMENTS, 11, "T", OrderFlow.Prices.START)) {
      for (int i = 0; i < count / 2; i++) {
        expected.add(JSON.writeValueAsString(flow.next().body()));
      }
    }
    List<String> received = new ArrayList<>();
    for (Seen s : seen) {
      assertThat(s.method()).isEqualTo("POST");
      assertThat(s.path()).isEqualTo("/orders");
      assertThat(s.contentType()).isEqualTo("application/json");
      s.body()
          .fields()
          .forEachRemaining(
              f -> assertThat(f.getValue().isTextual()).as("%s is a string", f.getKey()).isTrue());
      assertThat(s.body().has("limit_price") ? s.body().path("order_type").asText() : "LIMIT")
          .isEqualTo("LIMIT");
      received.add(JSON.writeValueAsString(s.body()));
    }
    assertThat(received).containsExactlyInAnyOrderElementsOf(expected);

    // what was counted: exactly what the gateway answered
    assertThat(r.sent()).isEqualTo(count);
    assertThat(r.sentByKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(count);
    assertThat(r.answered()).isEqualTo(count);
    assertThat(r.accepted()).isEqualTo(answers("ACCEPTED"));
    assertThat(r.pending()).isEqualTo(answers("202"));
    assertThat(r.badRequests()).isEqualTo(answers("400"));
    long margin = answers("REJECTED INSUFFICIENT_MARGIN+RATE_LIMIT");
    long duplicate = answers("REJECTED DUPLICATE_ORDER");
    assertThat(r.rejected()).isEqualTo(margin + duplicate);
    assertThat(r.rejectedByReason())
        .isEqualTo(
            withoutZeros(
                Map.of(
                    "INSUFFICIENT_MARGIN", margin,
                    "RATE_LIMIT", margin,
                    "DUPLICATE_ORDER", duplicate)));
    assertThat(r.httpErrors()).isEqualTo(answers("503"));
    assertThat(r.httpErrorsByKind()).isEqualTo(withoutZeros(Map.of("HTTP 503", r.httpErrors())));
    // the fake's rules were all exercised by this mix
    assertThat(answered)
        .containsKeys("ACCEPTED", "202", "400", "503", "REJECTED DUPLICATE_ORDER")
        .containsKey("REJECTED INSUFFICIENT_MARGIN+RATE_LIMIT");
  }

  private long answers(String what) {
    return answered.getOrDefault(what, 0);
  }

  private static Map<String, Long> withoutZeros(Map<String, Long> m) {
    Map<String, Long> out = new TreeMap<>(m);
    out.values().removeIf(v -> v == 0);
    return out;
  }

  @Test
  void aGatewayThatIsNotThereIsCountedAsUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    SimulateOrdersCommand.Report r =
        SimulateOrdersCommand.run(
            options(URI.create("http://127.0.0.1:" + port), 6, OrderFlow.Prices.START),
            new OrderTally());
    assertThat(r.sent()).isEqualTo(6);
    assertThat(r.httpErrorsByKind()).isEqualTo(Map.of("unreachable", 6L));
    assertThat(r.accepted() + r.rejected() + r.pending() + r.badRequests()).isZero();
  }

  @Test
  void theCommandRunsTheFlowAndPrintsItsSummary() {
    StringWriter err = new StringWriter();
    CommandLine cli =
        new CommandLine(new SimulateOrdersCommand(url().toString(), () -> OrderFlow.Prices.START));
    cli.setErr(new PrintWriter(err));
    int exit =
        cli.execute("--count", "40", "--rate", "1000", "--accounts", "4", "--quiet", "--seed", "3");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(seen).hasSize(40);
    assertThat(seen)
        .extracting(s -> s.body().path("account_id").asText())
        .allMatch(a -> a.matches("ACC-000[1-4]") || a.equals(OrderFlow.UNKNOWN_ACCOUNT));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--rate|0|--rate",
        "--rate|-5|--rate",
        "--count|0|--count",
        "--accounts|0|--accounts",
        "--accounts|10000|--accounts",
        "--threads|0|--threads",
        "--in-flight|0|--in-flight",
        "--duration|0s|--duration",
        "--duration|soon|--duration",
        "--url|ftp://127.0.0.1:8092|--url",
        "--url|not a url|--url",
        "--symbols|EURUSD,FOOBAR|--symbols",
        "--symbols|EURUSD,EURUSD|--symbols: EURUSD is named twice",
        "--symbols|EURUSD,,GBPUSD|--symbols: empty symbol"
      })
  void everyBadFlagIsRefusedByName(String flag, String value, String named) {
    StringWriter err = new StringWriter();
    CommandLine cli =
        new CommandLine(new SimulateOrdersCommand(url().toString(), () -> OrderFlow.Prices.START));
    cli.setErr(new PrintWriter(err));
    // a count of 1, so that a flag wrongly let through would send one order, not run forever
    int exit =
        flag.equals("--count")
            ? cli.execute(flag, value)
            : cli.execute(flag, value, "--count", "1");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains(named);
    assertThat(seen).isEmpty();
  }

  @Test
  void limitPricesFollowThePriceSource() throws Exception {
    OrderFlow.Prices farAway = i -> i.startTicks() + 10_000;
    SimulateOrdersCommand.run(options(url(), 300, farAway), new OrderTally());
    for (Seen s : seen) {
      JsonNode b = s.body();
      if (b.has("limit_price") && !b.path("symbol").asText().equals(OrderFlow.UNKNOWN_SYMBOL)) {
        Instrument i =
            INSTRUMENTS.stream()
                .filter(x -> x.symbol().equals(b.path("symbol").asText()))
                .findFirst()
                .orElseThrow();
        BigDecimal ticks =
            new BigDecimal(b.path("limit_price").asText()).movePointRight(i.decimals());
        assertThat(ticks.subtract(BigDecimal.valueOf(i.startTicks() + 10_000)).abs())
            .isLessThanOrEqualTo(BigDecimal.valueOf(OrderFlow.LIMIT_TICKS_AWAY + 1));
      }
    }
  }
}
