package io.rtx.quotes;

import io.rtx.common.HttpEndpoint;
import io.rtx.common.Settings;
import io.rtx.common.StreamsApp;
import io.rtx.schemas.RegistrySerdes;

/**
 * The quotes app: market.ticks → Redis {@code quote:SYMBOL} + {@code quotes:SYMBOL}, and the newest
 * tick per symbol → market.quotes; the quotes to clients over WebSocket ({@link
 * QuoteSocketServer}).
 */
public final class QuotesApp {

  private QuotesApp() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.load(QuoteSettings.APP, args);
    QuoteSettings quotes = QuoteSettings.from(settings.asMap());
    // Streams closes first (its last flush still needs Redis), then the WebSocket server and the
    // Redis pool.
    try (QuoteCache cache = new QuoteCache(quotes);
        QuoteSocketServer sockets = QuoteSocketServer.start(settings.get("http.host"), quotes)) {
      StreamsApp.run(
          settings,
          QuoteTopology.build(quotes, RegistrySerdes.value(settings.get("registry.url")), cache),
          streams -> HttpEndpoint.routes(),
          sockets);
    }
  }
}
