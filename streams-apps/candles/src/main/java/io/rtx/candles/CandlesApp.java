package io.rtx.candles;

import io.rtx.common.Forwarder;
import io.rtx.common.HttpEndpoint;
import io.rtx.common.KeyOwner;
import io.rtx.common.Request;
import io.rtx.common.Response;
import io.rtx.common.Settings;
import io.rtx.common.StreamsApp;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;

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
        // The app writes only ticks it read from market.ticks (to the late topic and the DLQ, which
        // has no subject): their serializer finds the schema under market.ticks' subject.
        new CandleSerdes(
            RegistrySerdes.valueOf(registry, Topics.MARKET_TICKS.name()),
            RegistrySerdes.value(registry));
    String self = settings.get("kafka.application.server", "");
    StreamsApp.run(
        settings, CandleTopology.build(candles, serdes), streams -> routes(streams, candles, self));
  }

  /**
   * {@code GET /candles}: the symbol's candles from this instance's stores when it holds the
   * symbol, else the same request forwarded to the instance that does ({@code self} is this one's
   * {@code application.server}).
   */
  static HttpEndpoint.Routes routes(KafkaStreams streams, CandleSettings candles, String self) {
    CandleQueries queries = CandleQueries.of(streams, candles);
    Forwarder forwarder = new Forwarder(self);
    return HttpEndpoint.routes()
        .get(
            "/candles",
            forwarder.toOwner(
                request -> {
                  CandleQuery q = CandleQuery.of(request, candles);
                  return KeyOwner.of(
                      streams,
                      q.interval().storeName(),
                      q.symbol(),
                      Serdes.String().serializer(),
                      self);
                },
                request -> latest(request, candles, queries)));
  }

  /**
   * The latest candles of one symbol and interval held here, newest first, the open one included.
   */
  static Response latest(Request request, CandleSettings candles, CandleQueries queries) {
    CandleQuery q = CandleQuery.of(request, candles);
    return Response.json(
        200,
        queries.latest(q.symbol(), q.interval().label(), q.limit()).stream()
            .map(CandleJson::of)
            .toList());
  }

  /** The parameters of {@code /candles}, checked: a bad one is a 400 naming it. */
  record CandleQuery(String symbol, CandleInterval interval, int limit) {

    static final int DEFAULT_LIMIT = 10;

    static CandleQuery of(Request request, CandleSettings candles) {
      String symbol = request.requiredQuery("symbol");
      String label = request.requiredQuery("interval");
      CandleInterval interval =
          candles
              .interval(label)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown interval "
                              + label
                              + "; configured: "
                              + candles.intervals().stream().map(CandleInterval::label).toList()));
      String limitText = request.query("limit").orElse(String.valueOf(DEFAULT_LIMIT));
      int limit;
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = 0;
      }
      if (limit < 1 || limit > candles.history()) {
        throw new IllegalArgumentException("limit must be 1.." + candles.history());
      }
      return new CandleQuery(symbol, interval, limit);
    }
  }
}
