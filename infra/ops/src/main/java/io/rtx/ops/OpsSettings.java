package io.rtx.ops;

import io.rtx.common.AppSettings;
import io.rtx.common.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ops service's settings ({@code ops.properties}, a settings file, {@code RTX_*} variables),
 * each checked: the HTTP endpoint, the Kafka clients, the Connect worker, the poll interval and the
 * status window, and what the dashboard and its probes reach: the registry and Redis (the probes of
 * candle close delay and tick → quote latency), the candles app (candle history, forwarded) and the
 * quotes app's WebSocket (which the browser opens itself).
 */
public record OpsSettings(
    String httpHost,
    int httpPort,
    Properties kafka,
    URI connectUrl,
    Duration pollInterval,
    Duration lagWindow,
    String clusterName,
    String registryUrl,
    URI redisUrl,
    URI candlesUrl,
    URI quotesWsUrl,
    String dashboardSymbol) {

  static final Set<String> KNOWN =
      Set.of(
          "ops.connect.url",
          "ops.poll.interval",
          "ops.lag.window",
          "ops.cluster.name",
          "ops.redis.url",
          "ops.candles.url",
          "ops.quotes.ws.url",
          "ops.dashboard.symbol");

  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** A symbol as the topics carry it: what the dashboard may put in a query string. */
  static final Pattern SYMBOL = Pattern.compile("[A-Z0-9._-]{1,32}");

  public OpsSettings {
    if (httpPort < 1 || httpPort > 65535) {
      throw new IllegalArgumentException("http.port must be 1..65535, got " + httpPort);
    }
    String scheme = connectUrl.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || connectUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "ops.connect.url must be an http(s) URL, got '" + connectUrl + "'");
    }
    if (pollInterval.toMillis() < 100) {
      throw new IllegalArgumentException(
          "ops.poll.interval must be at least 100ms, got " + pollInterval);
    }
    if (lagWindow.compareTo(pollInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "ops.lag.window must be at least twice ops.poll.interval ("
              + pollInterval.multipliedBy(2)
              + "), got "
              + lagWindow);
    }
    if (!LABEL_VALUE.matcher(clusterName).matches()) {
      throw new IllegalArgumentException(
          "ops.cluster.name must be 1-64 letters, digits or _.:-, got '" + clusterName + "'");
    }
    requireScheme("ops.redis.url", redisUrl, "redis", "rediss");
    requireScheme("ops.candles.url", candlesUrl, "http", "https");
    requireScheme("ops.quotes.ws.url", quotesWsUrl, "ws", "wss");
    if (!SYMBOL.matcher(dashboardSymbol).matches()) {
      throw new IllegalArgumentException(
          "ops.dashboard.symbol must be 1-32 upper-case letters, digits or ._-, got '"
              + dashboardSymbol
              + "'");
    }
    if (kafka.getProperty("bootstrap.servers", "").isBlank()) {
      throw new IllegalArgumentException("kafka.bootstrap.servers must not be empty");
    }
  }

  private static void requireScheme(String name, URI uri, String... schemes) {
    if (!java.util.Arrays.asList(schemes).contains(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          name
              + " must be a "
              + String.join(" or ", schemes)
              + " URL with a host, got '"
              + uri
              + "'");
    }
  }

  public static OpsSettings from(Settings settings) {
    AppSettings s = AppSettings.read("ops", settings.asMap(), KNOWN);
    return new OpsSettings(
        settings.get("http.host"),
        settings.getInt("http.port"),
        settings.withPrefix("kafka."),
        s.uri("ops.connect.url"),
        s.duration("ops.poll.interval"),
        s.duration("ops.lag.window"),
        s.string("ops.cluster.name"),
        settings.get("registry.url"),
        s.uri("ops.redis.url"),
        s.uri("ops.candles.url"),
        s.uri("ops.quotes.ws.url"),
        s.string("ops.dashboard.symbol"));
  }
}
