package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {

  record NewOrder(String accountId, String symbol, BigDecimal limitPrice, Instant placedAt) {}

  record Accepted(String orderId, NewOrder order) {}

  private final HttpClient client = HttpClient.newHttpClient();
  private HttpEndpoint http;

  @BeforeEach
  void start() throws Exception {
    http =
        HttpEndpoint.start(
            "127.0.0.1",
            0,
            HttpEndpoint.routes()
                .get("/orders/{id}", req -> Response.json(200, Map.of("id", req.path("id"))))
                .get("/orders/open", req -> Response.text(200, "the open orders"))
                .get(
                    "/accounts/{account}/orders/{id}",
                    req -> Response.text(200, req.path("account") + " " + req.path("id")))
                .post(
                    "/orders",
                    req -> Response.json(201, new Accepted("o-1", req.json(NewOrder.class))))
                .get(
                    "/candles",
                    req ->
                        Response.text(
                            200,
                            req.requiredQuery("symbol")
                                + "|"
                                + req.requiredQuery("interval")
                                + "|"
                                + req.query("limit").orElse("10")))
                .get(
                    "/thread",
                    req ->
                        Response.text(
                            200,
                            Thread.currentThread().getName()
                                + " daemon="
                                + Thread.currentThread().isDaemon()))
                .get(
                    "/filled",
                    req -> {
                      throw new HttpError(409, "order o-1 is already filled");
                    })
                .get(
                    "/limit",
                    req -> {
                      throw new IllegalArgumentException("limit must be 1..500");
                    })
                .get(
                    "/boom",
                    req -> {
                      throw new IllegalStateException("store closed");
                    }));
  }

  @AfterEach
  void stop() {
    http.close();
  }

  private HttpResponse<String> get(String target) throws Exception {
    return send(HttpRequest.newBuilder(uri(target)).GET());
  }

  private HttpResponse<String> post(String target, String json) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(target))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(json)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), BodyHandlers.ofString());
  }

  private URI uri(String target) {
    return URI.create("http://127.0.0.1:" + http.port() + target);
  }

  @Test
  void pathParametersAreDecodedAndALiteralSegmentWinsOverAParameter() throws Exception {
    assertThat(get("/orders/o-42").body()).isEqualTo("{\"id\":\"o-42\"}");
    assertThat(get("/orders/o%2F4+2%20x").body()).isEqualTo("{\"id\":\"o/4+2 x\"}");
    assertThat(get("/orders/open").body()).isEqualTo("the open orders");
    assertThat(get("/accounts/A-1/orders/o-7").body()).isEqualTo("A-1 o-7");
  }

  @Test
  void queryParametersAreDecodedAndRequiredOnesNamed() throws Exception {
    HttpResponse<String> ok = get("/candles?symbol=EUR%2FUSD&interval=1m&extra=a+b");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("EUR/USD|1m|10");
    assertThat(get("/candles?interval=1m&symbol=X&limit=5&symbol=Y").body()).isEqualTo("X|1m|5");

    HttpResponse<String> missing = get("/candles?symbol=EURUSD&interval=");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(missing.body()).isEqualTo("{\"error\":\"query parameter interval is required\"}");
  }

  @Test
  void jsonBodyInAndOutWithSnakeCaseAndDecimalStrings() throws Exception {
    HttpResponse<String> r =
        post(
            "/orders",
            "{\"account_id\":\"A-1\",\"symbol\":\"EURUSD\",\"limit_price\":\"1.08250000\","
                + "\"placed_at\":\"2026-11-26T10:00:00.250Z\"}");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.body())
        .isEqualTo(
            "{\"order_id\":\"o-1\",\"order\":{\"account_id\":\"A-1\",\"symbol\":\"EURUSD\","
                + "\"limit_price\":\"1.08250000\",\"placed_at\":\"2026-11-26T10:00:00.250Z\"}}");
  }

  @Test
  void malformedOrUnexpectedJsonIsA400WithTheReason() throws Exception {
    HttpResponse<String> broken = post("/orders", "{\"account_id\":\"A-1\",");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).startsWith("{\"error\":\"invalid JSON: ");

    HttpResponse<String> unknown = post("/orders", "{\"account_id\":\"A-1\",\"qty\":\"1\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body())
        .isEqualTo("{\"error\":\"invalid JSON: qty: unknown property \\\"qty\\\"\"}");

    HttpResponse<String> badPrice = post("/orders", "{\"limit_price\":\"cheap\"}");
    assertThat(badPrice.statusCode()).isEqualTo(400);
    assertThat(badPrice.body()).contains("limit_price");

    assertThat(post("/orders", "").statusCode()).isEqualTo(400);
  }

  @Test
  void unknownPathIs404() throws Exception {
    HttpResponse<String> r = get("/positions");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":\"no route for /positions\"}");
    assertThat(get("/orders").statusCode()).isEqualTo(405);
    assertThat(get("/orders/").statusCode()).isEqualTo(404);
    assertThat(get("/orders/o-1/fills").statusCode()).isEqualTo(404);
  }

  @Test
  void knownPathWithAnotherMethodIs405WithAllow() throws Exception {
    HttpResponse<String> r = get("/orders");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("POST");
    assertThat(r.body()).isEqualTo("{\"error\":\"GET is not allowed here; allowed: POST\"}");

    HttpResponse<String> delete = send(HttpRequest.newBuilder(uri("/orders/o-1")).DELETE());
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).contains("GET");
  }

  @Test
  void handlerErrorsAnswerTheirStatus() throws Exception {
    HttpResponse<String> filled = get("/filled");
    assertThat(filled.statusCode()).isEqualTo(409);
    assertThat(filled.body()).isEqualTo("{\"error\":\"order o-1 is already filled\"}");

    HttpResponse<String> limit = get("/limit");
    assertThat(limit.statusCode()).isEqualTo(400);
    assertThat(limit.body()).isEqualTo("{\"error\":\"limit must be 1..500\"}");
  }

  @Test
  void anythingElseIsA500WithTheMessageOnly() throws Exception {
    HttpResponse<String> r = get("/boom");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.body()).isEqualTo("{\"error\":\"store closed\"}");
    assertThat(r.body()).doesNotContain("Exception", "at io.rtx");
  }

  @Test
  void refusesAnOversizedBody() throws Exception {
    HttpResponse<String> r = post("/orders", "x".repeat(HttpEndpoint.MAX_BODY_BYTES + 1));
    assertThat(r.statusCode()).isEqualTo(413);
  }

  @Test
  void servesOnNamedDaemonThreads() throws Exception {
    assertThat(get("/thread").body()).matches("rtx-http-\\d+ daemon=true");
  }

  @Test
  void refusesAmbiguousOrMalformedRoutes() {
    HttpEndpoint.Handler h = req -> Response.text(200, "");
    HttpEndpoint.Routes routes = HttpEndpoint.routes().get("/orders/{id}", h);

    assertThatThrownBy(() -> routes.get("/orders/{orderId}", h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already routed");
    assertThat(routes.post("/orders/{id}", h)).isNotNull();
    assertThatThrownBy(() -> routes.get("orders", h)).hasMessageContaining("starts with /");
    assertThatThrownBy(() -> routes.get("/orders/o-{id}", h)).hasMessageContaining("whole segment");
    assertThatThrownBy(() -> routes.get("/a/{id}/b/{id}", h)).hasMessageContaining("twice");
    assertThatThrownBy(() -> routes.add("get", "/x", h)).hasMessageContaining("upper-case");
  }

  @Test
  void wrappedRoutesRunTheWrapper() throws Exception {
    try (HttpEndpoint wrapped =
        HttpEndpoint.start(
            "127.0.0.1",
            0,
            HttpEndpoint.routes()
                .get("/a", req -> Response.text(200, "a"))
                .map(h -> req -> Response.text(200, "wrapped " + h.handle(req).bodyText()))
                .get("/b", req -> Response.text(200, "b")))) {
      String base = "http://127.0.0.1:" + wrapped.port();
      assertThat(
              client
                  .send(
                      HttpRequest.newBuilder(URI.create(base + "/a")).build(),
                      BodyHandlers.ofString())
                  .body())
          .isEqualTo("wrapped a");
      assertThat(
              client
                  .send(
                      HttpRequest.newBuilder(URI.create(base + "/b")).build(),
                      BodyHandlers.ofString())
                  .body())
          .isEqualTo("b");
    }
  }
}
