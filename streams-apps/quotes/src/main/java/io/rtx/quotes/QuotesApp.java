package io.rtx.quotes;

import io.rtx.common.HttpEndpoint;
import io.rtx.common.Settings;
import io.rtx.common.StreamsApp;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import java.time.Duration;

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
    String registry = settings.get("registry.url");
    // a Redis that lost its quotes (it keeps nothing on disk) is filled again from market.quotes
    PublishedQuotes published =
        new PublishedQuotes(
            settings.withPrefix("kafka."),
            RegistrySerdes.<Tick>valueOf(registry, Topics.MARKET_QUOTES.name()).deserializer(),
            Duration.ofMinutes(2));
    try (QuoteCache cache = new QuoteCache(quotes, published);
        QuoteSocketServer sockets = QuoteSocketServer.start(settings.get("http.host"), quotes)) {
      StreamsApp.run(
          settings,
          QuoteTopology.build(quotes, RegistrySerdes.value(registry), cache),
          streams -> HttpEndpoint.routes(),
          sockets);
    }
  }
}
