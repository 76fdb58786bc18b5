package io.rtx.candles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CandleSettingsTest {

  @Test
  void defaults() {
    CandleSettings s = CandleSettings.from(Map.of("kafka.bootstrap.servers", "ignored:9092"));

    assertThat(s.intervals())
        .extracting(CandleInterval::label)
        .containsExactly("1s", "1m", "5m", "15m", "1h", "1d");
    assertThat(s.intervals())
        .extracting(CandleInterval::size)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15),
            Duration.ofHours(1),
            Duration.ofDays(1));
    assertThat(s.base().label()).isEqualTo("1s");
    assertThat(s.derived())
        .extracting(CandleInterval::label)
        .containsExactly("1m", "5m", "15m", "1h", "1d");
    assertThat(s.grace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.derivedGrace()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.priceBasis()).isEqualTo(PriceBasis.BID);
    assertThat(s.history()).isEqualTo(500);
    assertThat(s.intervals())
        .extracting(CandleInterval::storeName)
        .containsExactly(
            "candles-1s", "candles-1m", "candles-5m", "candles-15m", "candles-1h", "candles-1d");
    assertThat(s.ticksTopic()).isEqualTo("market.ticks");
    assertThat(s.lateTopic()).isEqualTo("market.ticks.late");
    assertThat(s.dlqTopic()).isEqualTo("market.ticks.dlq");
    assertThat(s.candlesTopic()).isEqualTo("market.candles");
    assertThat(s.liveTopic()).isEqualTo("market.candles.live");
    assertThat(CandleSettings.defaults()).isEqualTo(s);
  }

  @Test
  void readsEverySetting() {
    CandleSettings s =
        CandleSettings.from(
            Map.of(
                "candles.intervals", " 1h, 500ms ,1m",
                "candles.grace", "PT2.5S",
                "candles.price.basis", "MID",
                "candles.history", "10"));

    assertThat(s.intervals())
        .extracting(CandleInterval::label)
        .containsExactly("500ms", "1m", "1h");
    assertThat(s.base().sizeMs()).isEqualTo(500);
    assertThat(s.grace()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.priceBasis()).isEqualTo(PriceBasis.MID);
    assertThat(s.history()).isEqualTo(10);
    assertThat(s.retention(s.base())).isEqualTo(Duration.ofMillis(500 * 10 + 2500));
    assertThat(s.retention(s.interval("1h").orElseThrow()))
        .isEqualTo(Duration.ofHours(10).plusMillis(500));
  }

  @ParameterizedTest
  @CsvSource({"5s,5000", "0s,0", "250ms,250", "2m,120000", "PT1M,60000", "PT0.1S,100"})
  void graceTakesShortAndIsoForms(String text, long millis) {
    assertThat(
            CandleSettings.from(Map.of("candles.grace", text, "candles.max.ahead", "0s")).grace())
        .isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void maxAheadBeyondGraceIsRefusedByName() {
    assertThatThrownBy(
            () -> CandleSettings.from(Map.of("candles.grace", "5s", "candles.max.ahead", "1m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("candles.max.ahead")
        .hasMessageContaining("candles.grace");
    assertThatThrownBy(() -> CandleSettings.from(Map.of("candles.grace", "0s")))
        .hasMessageContaining("candles.max.ahead (PT1S) must not be more than candles.grace");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "candles.intervals   | 1m,90s        | 90s is not a multiple of the base (smallest) interval 1m",
        "candles.intervals   | 2s,5s         | 5s is not a multiple of the base (smallest) interval 2s",
        "candles.intervals   | 1m,60s        | are the same interval",
        "candles.intervals   | 1s,1s         | are the same interval",
        "candles.intervals   | 1s,,1m        | has an empty entry",
        "candles.intervals   | 1s,1w         | '1w' is not a number followed by ms, s, m, h or d",
        "candles.intervals   | 0s            | must be a positive",
        "candles.intervals   | PT1S          | 'PT1S' is not a number followed by",
        "candles.grace       | -PT1S         | candles.grace must not be negative",
        "candles.grace       | soon          | candles.grace must be a duration like 5s, 250ms or PT5S, got 'soon'",
        "candles.price.basis | ask           | candles.price.basis: price basis 'ask' is not one of bid, mid, last",
        "candles.history     | 0             | candles.history must be at least 1",
        "candles.history     | lots          | candles.history must be a whole number, got 'lots'",
        "candles.grace       | ' '           | candles.grace must not be empty",
        "candles.intervalls  | 1s            | unknown setting(s) [candles.intervalls]",
      })
  void rejectsBadSettingsNamingTheSetting(String key, String value, String message) {
    assertThatThrownBy(() -> CandleSettings.from(Map.of(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void intervalsMustStartWithTheSmallestThatDividesAll() {
    assertThat(CandleSettings.from(Map.of("candles.intervals", "15m,5m,1h")).base().label())
        .isEqualTo("5m");
    assertThatThrownBy(() -> CandleSettings.from(Map.of("candles.intervals", "10m,15m")))
        .hasMessageContaining("15m is not a multiple of the base (smallest) interval 10m");
  }

  @Test
  void looksUpIntervalsByLabel() {
    CandleSettings s = CandleSettings.defaults();
    assertThat(s.interval("15m")).map(CandleInterval::size).contains(Duration.ofMinutes(15));
    assertThat(s.interval("2m")).isEmpty();
  }
}
