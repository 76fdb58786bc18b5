package io.rtx.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtx.common.HttpEndpoint;
import io.rtx.common.Json;
import io.rtx.common.Response;
import io.rtx.common.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's routes over real HTTP: the page and its assets (uPlot from its WebJar), the
 * page's settings, and {@code /api/candles} against a stand-in candles app on a free port.
 */
class DashboardTest {

  private final HttpClient client = HttpClient.newHttpClient();
  private HttpEndpoint candlesApp;
  private HttpEndpoint ops;
  private volatile boolean ready;

  @BeforeEach
  void start() throws IOException {
    candlesApp =
        HttpEndpoint.start(
            "127.0.0.1",
            0,
            HttpEndpoint.routes()
                .get(
                    "/candles",
                    r ->
                        r.requiredQuery("symbol").equals("EURUSD")
                            ? Response.json(
                                200,
                                java.util.List.of(
                                    Map.of(
                                        "symbol",
                                        "EURUSD",
                                        "interval",
                                        r.requiredQuery("interval"),
                                        "close",
                                        "1.08450000",
                                        "limit",
                                        r.requiredQuery("limit"))))
                            : Response.error(404, "no candles of " + r.requiredQuery("symbol"))));
    OpsSettings settings =
        OpsSettings.from(
            Settings.load(
                "ops",
                new String[0],
                Map.of("RTX_OPS_CANDLES_URL", "http://127.0.0.1:" + candlesApp.port())));
    ops =
        HttpEndpoint.start(
            "127.0.0.1", 0, new Dashboard(settings, () -> ready).addTo(HttpEndpoint.routes()));
  }

  @AfterEach
  void stop() {
    ops.close();
    candlesApp.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Test
  void thePageAndItsAssetsAreServedFromTheClassPath() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body())
        .contains("<script src=\"/assets/uPlot.iife.min.js\">")
        .contains("<script src=\"/assets/dashboard.js\">");

    HttpResponse<String> uplot = get("/assets/uPlot.iife.min.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.body()).contains("uPlot");
    assertThat(get("/assets/uPlot.min.css").statusCode()).isEqualTo(200);
    assertThat(get("/assets/dashboard.js").body()).contains("new uPlot(");
    assertThat(get("/assets/dashboard.css").statusCode()).isEqualTo(200);

    assertThat(get("/assets/index.html").statusCode()).isEqualTo(404);
    assertThat(get("/assets/..%2F..%2FOpsApp.class").statusCode()).isEqualTo(404);
  }

  @Test
  void theWebJarVersionIsThePoms() {
    assertThat(Dashboard.webJarVersion("org.webjars.npm", "uplot")).matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void settingsSayWhenTheApiIsReady() throws Exception {
    JsonNode before = Json.read(get("/api/dashboard").body().getBytes(), JsonNode.class);
    assertThat(before.path("ready").asBoolean()).isFalse();
    assertThat(before.path("symbol").asText()).isEqualTo("EURUSD");
    assertThat(before.path("quotes_ws_url").asText()).isEqualTo("ws://127.0.0.1:8094/ws/quotes");
    assertThat(before.path("poll_interval_ms").asLong()).isEqualTo(2000);
    ready = true;
    assertThat(
            Json.read(get("/api/dashboard").body().getBytes(), JsonNode.class)
                .path("ready")
                .asBoolean())
        .isTrue();
  }

  @Test
  void candlesAreForwardedToTheCandlesApp() throws Exception {
    HttpResponse<String> ok = get("/api/candles?symbol=EURUSD&interval=1m&limit=5");
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonNode body = Json.read(ok.body().getBytes(), JsonNode.class);
    assertThat(body.path("error").isNull()).isTrue();
    assertThat(body.path("candles").get(0).path("close").asText()).isEqualTo("1.08450000");
    assertThat(body.path("candles").get(0).path("interval").asText()).isEqualTo("1m");
    assertThat(body.path("candles").get(0).path("limit").asText()).isEqualTo("5");

    // the candles app's refusal is the page's to show, not an HTTP failure of ours
    HttpResponse<String> unknown = get("/api/candles?symbol=GBPUSD");
    assertThat(unknown.statusCode()).isEqualTo(200);
    assertThat(Json.read(unknown.body().getBytes(), JsonNode.class).path("error").asText())
        .isEqualTo("candles app (404): no candles of GBPUSD");
  }

  @Test
  void candleParametersAreCheckedBeforeTheyReachAnotherService() throws Exception {
    assertThat(get("/api/candles?symbol=EUR%26x%3D1").statusCode()).isEqualTo(400);
    assertThat(get("/api/candles?symbol=EURUSD&interval=1w%2F").statusCode()).isEqualTo(400);
    assertThat(get("/api/candles?symbol=EURUSD&limit=0").statusCode()).isEqualTo(400);
    assertThat(get("/api/candles?symbol=EURUSD&limit=x").statusCode()).isEqualTo(400);
    assertThat(get("/api/candles").statusCode()).isEqualTo(400);
  }

  @Test
  void anAbsentCandlesAppIsAnError() throws Exception {
    candlesApp.close();
    JsonNode body = Json.read(get("/api/candles?symbol=EURUSD").body().getBytes(), JsonNode.class);
    assertThat(body.path("error").asText()).startsWith("candles app (502): ");
  }
}
