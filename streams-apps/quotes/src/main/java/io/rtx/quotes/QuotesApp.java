package io.rtx.quotes;

import io.rtx.common.HttpEndpoint;
import io.rtx.common.Settings;
import io.rtx.common.StreamsApp;
import io.rtx.schemas.RegistrySerdes;
import java.util.HashMap;
import java.util.Map;

/** The quotes app: market.ticks → Redis {@code quote:SYMBOL} + {@code quotes:SYMBOL}. */
public final class QuotesApp {

  private QuotesApp() {}

  public static void main(String[] args) throws Exception {
    Settings loaded = Settings.load(QuoteSettings.APP, args);
    QuoteSettings quotes = QuoteSettings.from(loaded.asMap());
    Map<String, String> all = new HashMap<>(loaded.asMap());
    quotes.streamsOverrides().forEach((k, v) -> all.put("kafka." + k, String.valueOf(v)));
    Settings settings = Settings.of(all);
    // Streams closes first (its last flush still needs Redis), then the Redis pool.
    try (QuoteCache cache = new QuoteCache(quotes)) {
      StreamsApp.run(
          settings,
          QuoteTopology.build(quotes, RegistrySerdes.value(settings.get("registry.url")), cache),
          streams -> HttpEndpoint.routes());
    }
  }
}
