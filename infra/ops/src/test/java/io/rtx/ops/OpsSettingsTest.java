package io.rtx.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.common.Settings;
import io.rtx.schemas.Component;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsSettingsTest {

  private static OpsSettings load(Map<String, String> env) {
    return OpsSettings.from(Settings.load("ops", new String[0], env));
  }

  @Test
  void defaultsAreTheLocalStacks() {
    OpsSettings s = load(Map.of());
    assertThat(s.httpPort()).isEqualTo(Component.OPS.defaultPort());
    assertThat(s.httpHost()).isEqualTo("127.0.0.1");
    assertThat(s.connectUrl().toString())
        .isEqualTo("http://127.0.0.1:" + Component.CONNECT.defaultPort());
    assertThat(s.kafka().getProperty("bootstrap.servers"))
        .isEqualTo("127.0.0.1:" + Component.KAFKA.defaultPort());
    assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.lagWindow()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.clusterName()).isEqualTo("local");
    assertThat(s.redisUrl().toString())
        .isEqualTo("redis://127.0.0.1:" + Component.REDIS.defaultPort());
    assertThat(s.candlesUrl().toString())
        .isEqualTo("http://127.0.0.1:" + Component.CANDLES.defaultPort());
    assertThat(s.quotesWsUrl().toString())
        .isEqualTo("ws://127.0.0.1:" + Component.QUOTES_WS_PORT + "/ws/quotes");
    assertThat(s.dashboardSymbol()).isEqualTo("EURUSD");
  }

  @Test
  void theEnvironmentOverrides() {
    OpsSettings s =
        load(
            Map.of(
                "RTX_OPS_POLL_INTERVAL", "500ms", "RTX_OPS_CONNECT_URL", "https://connect:8083"));
    assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.connectUrl().toString()).isEqualTo("https://connect:8083");
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> load(Map.of("RTX_OPS_LAG_WINDOW", "3s")))
        .hasMessage("ops.lag.window must be at least twice ops.poll.interval (PT4S), got PT3S");
    assertThatThrownBy(() -> load(Map.of("RTX_OPS_CONNECT_URL", "ftp://x")))
        .hasMessage("ops.connect.url must be an http(s) URL, got 'ftp://x'");
    assertThatThrownBy(() -> load(Map.of("RTX_OPS_POLL_INTERVAL", "10ms")))
        .hasMessage("ops.poll.interval must be at least 100ms, got PT0.01S");
    assertThatThrownBy(() -> load(Map.of("RTX_OPS_CLUSTER_NAME", "a b")))
        .hasMessage("ops.cluster.name must be 1-64 letters, digits or _.:-, got 'a b'");
    assertThatThrownBy(() -> load(Map.of("RTX_OPS_REDIS_URL", "http://x:6379")))
        .hasMessage("ops.redis.url must be a redis or rediss URL with a host, got 'http://x:6379'");
    assertThatThrownBy(() -> load(Map.of("RTX_OPS_QUOTES_WS_URL", "http://x/ws/quotes")))
        .hasMessage(
            "ops.quotes.ws.url must be a ws or wss URL with a host, got 'http://x/ws/quotes'");
    assertThatThrownBy(() -> load(Map.of("RTX_OPS_DASHBOARD_SYMBOL", "eur'usd")))
        .hasMessage(
            "ops.dashboard.symbol must be 1-32 upper-case letters, digits or ._-, got 'eur'usd'");
  }
}
