package io.rtx.quotes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.common.Settings;
import io.rtx.schemas.Component;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class QuoteSettingsTest {

  @Test
  void defaults() {
    assertThat(QuoteSettings.defaults())
        .isEqualTo(
            new QuoteSettings(
                URI.create("redis://127.0.0.1:6379"),
                Duration.ofSeconds(2),
                500,
                Duration.ofMillis(1),
                Duration.ofMillis(10),
                Duration.ofSeconds(1),
                8094,
                1000,
                100,
                Duration.ofSeconds(30),
                65536));
  }

  @Test
  void readsEveryKeyAndIgnoresOtherApps() {
    QuoteSettings s =
        QuoteSettings.from(
            Map.ofEntries(
                Map.entry("quotes.redis.url", "redis://:secret@redis.local:6380/2"),
                Map.entry("quotes.redis.timeout", "PT0.5S"),
                Map.entry("quotes.batch.size", "100"),
                Map.entry("quotes.flush.interval", "5ms"),
                Map.entry("quotes.retry.backoff.initial", "1ms"),
                Map.entry("quotes.retry.backoff.max", "1m"),
                Map.entry("quotes.ws.port", "9000"),
                Map.entry("quotes.ws.max.connections", "5"),
                Map.entry("quotes.ws.max.symbols", "3"),
                Map.entry("quotes.ws.send.timeout", "2s"),
                Map.entry("quotes.ws.send.buffer", "8192"),
                Map.entry("bootstrap.servers", "kafka:9092")));
    assertThat(s)
        .isEqualTo(
            new QuoteSettings(
                URI.create("redis://:secret@redis.local:6380/2"),
                Duration.ofMillis(500),
                100,
                Duration.ofMillis(5),
                Duration.ofMillis(1),
                Duration.ofMinutes(1),
                9000,
                5,
                3,
                Duration.ofSeconds(2),
                8192));
  }

  @Test
  void theWebSocketPortIsTheStacksDefault() {
    assertThat(QuoteSettings.defaults().wsPort()).isEqualTo(Component.QUOTES_WS_PORT);
    assertThat(Settings.envName(QuoteSettings.WS_PORT))
        .isEqualTo(Component.QUOTES_WS_PORT_VARIABLE);
  }

  @Test
  void theStreamsSettingsTheAppReliesOnAreDefaults() {
    assertThat(Settings.defaults(QuoteSettings.APP).withPrefix("kafka."))
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
        .containsEntry(StreamsConfig.POLL_MS_CONFIG, "1");
  }

  @Test
  void pollsAtLeastAsOftenAsItFlushes() {
    assertThat(QuoteSettings.from(Map.of("quotes.flush.interval", "5ms", "kafka.poll.ms", "5")))
        .isNotNull();
    assertThat(QuoteSettings.from(Map.of("quotes.flush.interval", "1h"))).isNotNull();
    assertRejected(
        Map.of("quotes.flush.interval", "5ms", "kafka.poll.ms", "6"),
        "kafka.poll.ms (6) must be 0..5, not above quotes.flush.interval (PT0.005S)");
    assertRejected(Map.of("kafka.poll.ms", "100"), "kafka.poll.ms (100) must be 0..1");
    assertRejected(Map.of("kafka.poll.ms", "soon"), "kafka.poll.ms");
  }

  @Test
  void failsFastOnBadValues() {
    assertRejected(Map.of("quotes.batch.sise", "10"), "unknown setting(s) [quotes.batch.sise]");
    assertRejected(Map.of("quotes.redis.url", "http://x:1"), "quotes.redis.url");
    assertRejected(Map.of("quotes.redis.url", "redis:// bad"), "quotes.redis.url");
    assertRejected(Map.of("quotes.batch.size", "0"), "quotes.batch.size");
    assertRejected(Map.of("quotes.batch.size", "many"), "quotes.batch.size");
    assertRejected(Map.of("quotes.flush.interval", "0ms"), "quotes.flush.interval");
    assertRejected(Map.of("quotes.flush.interval", "5"), "quotes.flush.interval");
    assertRejected(Map.of("quotes.retry.backoff.max", "5ms"), "quotes.retry.backoff.max");
    assertRejected(Map.of("quotes.redis.timeout", " "), "quotes.redis.timeout");
    assertRejected(Map.of("quotes.ws.port", "0"), "quotes.ws.port must be 1..65535, got 0");
    assertRejected(
        Map.of("quotes.ws.max.connections", "0"), "quotes.ws.max.connections must be 1..100000");
    assertRejected(Map.of("quotes.ws.max.symbols", "10001"), "quotes.ws.max.symbols must be");
    assertRejected(Map.of("quotes.ws.send.timeout", "0s"), "quotes.ws.send.timeout");
    assertRejected(
        Map.of("quotes.ws.send.buffer", "1024"),
        "quotes.ws.send.buffer must be 4096..16777216, got 1024");
  }

  private static void assertRejected(Map<String, String> config, String message) {
    assertThatThrownBy(() -> QuoteSettings.from(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
