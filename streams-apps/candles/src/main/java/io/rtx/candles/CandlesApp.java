package io.rtx.candles;

import io.rtx.common.HttpEndpoint;
import io.rtx.common.Json;
import io.rtx.common.Request;
import io.rtx.common.Response;
import io.rtx.common.Settings;
import io.rtx.common.StreamsApp;
import io.rtx.schemas.Candle;
import io.rtx.schemas.RegistrySerdes;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The candles app: market.ticks → OHLC candles, with {@code GET /candles?symbol=&interval=&limit=}.
 */
public final class CandlesApp {

  private CandlesApp() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.load(CandleSettings.APP, args);
    CandleSettings candles = CandleSettings.from(settings.asMap());
    String registry = settings.get("registry.url");
    CandleSerdes serdes =
        new CandleSerdes(RegistrySerdes.value(registry), RegistrySerdes.value(registry));
    StreamsApp.run(
        settings,
        CandleTopology.build(candles, serdes),
        streams ->
            HttpEndpoint.routes()
                .get("/candles", request -> candlesRoute(streams, candles, settings, request)));
  }

  /**
   * The latest candles of one symbol and interval, newest first. A symbol held by another instance
   * answers 307 to that instance (its {@code application.server}); during a rebalance 503, retry
   * shortly.
   */
  static Response candlesRoute(
      KafkaStreams streams, CandleSettings candles, Settings settings, Request request) {
    String symbol = request.requiredQuery("symbol");
    String interval = request.requiredQuery("interval");
    int limit = Integer.parseInt(request.query("limit").orElse("10"));
    if (limit < 1 || limit > candles.history()) {
      throw new IllegalArgumentException("limit must be 1.." + candles.history());
    }
    CandleInterval ci =
        candles
            .interval(interval)
            .orElseThrow(() -> new IllegalArgumentException("unknown interval " + interval));
    KeyQueryMetadata where =
        streams.queryMetadataForKey(ci.storeName(), symbol, Serdes.String().serializer());
    String self = settings.get("kafka.application.server", "");
    if (where != null
        && where.activeHost() != null
        && where.activeHost().port() > 0
        && !self.equals(where.activeHost().host() + ":" + where.activeHost().port())) {
      String location =
          "http://"
              + where.activeHost().host()
              + ":"
              + where.activeHost().port()
              + "/candles?symbol="
              + symbol
              + "&interval="
              + interval
              + "&limit="
              + limit;
      return Response.of(307, Response.JSON, "{\"location\":" + Json.string(location) + "}");
    }
    try {
      List<Candle> latest = CandleQueries.of(streams, candles).latest(symbol, interval, limit);
      return Response.of(
          200,
          Response.JSON,
          latest.stream().map(CandlesApp::json).collect(Collectors.joining(",", "[", "]")));
    } catch (InvalidStateStoreException e) {
      return Response.json(503, "{\"error\":\"stores are rebalancing, retry shortly\"}");
    }
  }

  static String json(Candle c) {
    return "{\"symbol\":"
        + Json.string(c.getSymbol())
        + ",\"interval\":"
        + Json.string(c.getInterval())
        + ",\"bucket_start\":"
        + Json.string(c.getBucketStart().toString())
        + ",\"open\":\""
        + c.getOpen().toPlainString()
        + "\",\"high\":\""
        + c.getHigh().toPlainString()
        + "\",\"low\":\""
        + c.getLow().toPlainString()
        + "\",\"close\":\""
        + c.getClose().toPlainString()
        + "\",\"volume\":\""
        + c.getVolume().toPlainString()
        + "\",\"tick_count\":"
        + c.getTickCount()
        + ",\"final\":"
        + c.getIsFinal()
        + "}";
  }
}
