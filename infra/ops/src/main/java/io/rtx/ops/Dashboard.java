package io.rtx.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtx.common.Forwarder;
import io.rtx.common.HttpEndpoint;
import io.rtx.common.HttpError;
import io.rtx.common.Json;
import io.rtx.common.Request;
import io.rtx.common.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The dashboard at {@code /}: its page and scripts (from this module's resources), uPlot from its
 * WebJar (served here: the page needs no network beyond this service and the quotes app), the
 * page's settings ({@code /api/dashboard}) and the candle history it charts ({@code /api/candles},
 * forwarded to the candles app). Everything else the page shows comes from the JSON API.
 */
final class Dashboard {

  private static final String PAGE = "io/rtx/ops/dashboard/";
  private static final String UPLOT = "META-INF/resources/webjars/uplot/%s/dist/";

  /** The files the page loads, by the name it asks for: nothing else is served. */
  private static final Map<String, String> ASSETS =
      Map.of(
          "dashboard.js", "text/javascript; charset=utf-8",
          "dashboard.css", "text/css; charset=utf-8",
          "uPlot.iife.min.js", "text/javascript; charset=utf-8",
          "uPlot.min.css", "text/css; charset=utf-8");

  private static final Pattern INTERVAL = Pattern.compile("[0-9]{1,3}[smhd]");

  /**
   * What the page reads at load: its first symbol, the quotes WebSocket, the poll period, and
   * whether the API has a first snapshot (it answers 503 before: the page waits for this instead).
   */
  record Settings(String symbol, String quotesWsUrl, long pollIntervalMs, boolean ready) {}

  /** {@code /api/candles}: the candles app's answer, or why there is none (always a 200). */
  record CandlesAnswer(JsonNode candles, String error) {}

  private final OpsSettings settings;
  private final BooleanSupplier ready;
  private final String uplotDir;
  private final Forwarder forwarder = new Forwarder("rtx-ops");

  /**
   * @param ready whether the JSON API has its first snapshot
   */
  Dashboard(OpsSettings settings, BooleanSupplier ready) {
    this.settings = settings;
    this.ready = ready;
    this.uplotDir = String.format(UPLOT, webJarVersion("org.webjars.npm", "uplot"));
  }

  HttpEndpoint.Routes addTo(HttpEndpoint.Routes routes) {
    return routes
        .get("/", r -> resource(PAGE + "index.html", "text/html; charset=utf-8"))
        .get("/assets/{file}", this::asset)
        .get(
            "/api/dashboard",
            r ->
                Response.json(
                    200,
                    new Settings(
                        settings.dashboardSymbol(),
                        settings.quotesWsUrl().toString(),
                        settings.pollInterval().toMillis(),
                        ready.getAsBoolean())))
        .get("/api/candles", this::candles);
  }

  private Response asset(Request r) {
    String file = r.path("file");
    String type = ASSETS.get(file);
    if (type == null) {
      throw new HttpError(404, "no asset " + file);
    }
    return resource((file.startsWith("uPlot") ? uplotDir : PAGE) + file, type)
        .withHeader("Cache-Control", "max-age=300");
  }

  /**
   * {@code GET /api/candles?symbol=S&interval=I&limit=N}: the candles app's {@code /candles}
   * (newest first), the parameters checked here first (they go into another service's URL). The
   * candles app's own refusals (a symbol it has not seen, an interval it does not build) and its
   * absence are answered as {@code error}, with status 200: the page shows them, they are no fault
   * of its.
   */
  private Response candles(Request r) {
    String symbol = r.requiredQuery("symbol");
    if (!OpsSettings.SYMBOL.matcher(symbol).matches()) {
      throw new IllegalArgumentException("not a symbol: '" + symbol + "'");
    }
    String interval = r.query("interval").orElse("1s");
    if (!INTERVAL.matcher(interval).matches()) {
      throw new IllegalArgumentException("not an interval: '" + interval + "'");
    }
    int limit;
    try {
      limit = Integer.parseInt(r.query("limit").orElse("120"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit must be a number");
    }
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1..1000, got " + limit);
    }
    URI base = settings.candlesUrl();
    URI to =
        base.resolve("/candles?symbol=" + symbol + "&interval=" + interval + "&limit=" + limit);
    Response answer =
        forwarder.forward(Request.get(to.getRawPath() + "?" + to.getRawQuery()), to, "candles");
    JsonNode body;
    try {
      body = Json.read(answer.body(), JsonNode.class);
    } catch (IllegalArgumentException e) {
      return Response.json(
          200,
          new CandlesAnswer(null, "the candles app answered " + answer.status() + ", not JSON"));
    }
    if (answer.status() != 200) {
      return Response.json(
          200,
          new CandlesAnswer(
              null, "candles app (" + answer.status() + "): " + body.path("error").asText()));
    }
    return Response.json(200, new CandlesAnswer(body, null));
  }

  private static Response resource(String name, String type) {
    try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new HttpError(404, "no resource " + name);
      }
      return new Response(200, type, Map.of(), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The version of a WebJar on the class path, from the pom.properties every WebJar carries. */
  static String webJarVersion(String group, String artifact) {
    String name = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "WebJar " + group + ":" + artifact + " is not on the class path");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
