package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void defaultsAreTheCommonAndTheAppResourcesAlone() {
    Settings defaults = Settings.defaults("sample");
    assertThat(defaults.get("sample.window")).isEqualTo("5s");
    assertThat(defaults.getInt("http.port")).isEqualTo(8099);
    assertThat(defaults.get("kafka.bootstrap.servers")).isEqualTo("127.0.0.1:9092");
  }

  @Test
  void givenValuesReplaceDefaults() {
    Settings s =
        Settings.defaults("sample").with(Map.of("sample.window", "1m", "sample.extra", "x"));
    assertThat(s.asMap())
        .containsEntry("sample.window", "1m")
        .containsEntry("sample.extra", "x")
        .containsEntry("http.port", "8099");
    assertThat(Settings.defaults("sample").get("sample.window")).isEqualTo("5s");
  }

  @Test
  void anAppWithoutDefaultsIsAnError() {
    assertThatThrownBy(() -> Settings.defaults("no-such-app"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-such-app.properties");
  }

  @Test
  void theEnvironmentOverridesSettingsThatHaveADefaultByTheirEnvironmentName() {
    Settings s =
        Settings.load(
            "sample",
            new String[0],
            Map.of(
                "RTX_SAMPLE_WINDOW",
                "1m",
                "RTX_SAMPLE_OTHER",
                "x",
                "RTX_KAFKA_MAX_POLL_RECORDS",
                "10"));
    assertThat(s.get("sample.window")).isEqualTo("1m");
    assertThat(s.asMap())
        .doesNotContainKey("sample.other")
        .containsEntry("kafka.max.poll.records", "10");
    assertThat(Settings.envName("candles.price-basis.x")).isEqualTo("RTX_CANDLES_PRICE_BASIS_X");
  }
}
