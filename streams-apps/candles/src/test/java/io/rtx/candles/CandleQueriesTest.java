package io.rtx.candles;

import static io.rtx.candles.Ticks.tick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.schemas.Candle;
import io.rtx.schemas.Decimals;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CandleQueriesTest {

  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

  private final CandleDriver candles = new CandleDriver(CandleSettings.defaults());

  /** The wall clock a little after the ticks below. */
  private final Clock clock = Clock.fixed(T.plusSeconds(30), ZoneOffset.UTC);

  private final CandleQueries queries =
      new CandleQueries(candles.settings, candles.driver::getWindowStore, clock);

  @AfterEach
  void close() {
    candles.close();
  }

  private static Candle candle(
      String interval, Instant bucket, String price, long count, boolean isFinal) {
    return candle(interval, bucket, price, price, count, isFinal);
  }

  private static Candle candle(
      String interval, Instant bucket, String open, String close, long count, boolean isFinal) {
    return new Candle(
        "EURUSD",
        interval,
        bucket,
        Decimals.of(open),
        Decimals.of(close).max(Decimals.of(open)),
        Decimals.of(close).min(Decimals.of(open)),
        Decimals.of(close),
        Decimals.zero(),
        count,
        isFinal);
  }

  @Test
  void latestCandlesNewestFirstWithTheOpenOne() {
    candles.pipe(
        tick("EURUSD", 1, T.plusMillis(100), "1.1"),
        tick("EURUSD", 2, T.plusMillis(1_100), "1.2"),
        tick("EURUSD", 3, T.plusMillis(6_100), "1.3"),
        tick("EURUSD", 4, T.plusMillis(6_200), "1.3"));

    // a base candle is final once its end plus grace (5 s) is at or before the newest window's
    // start
    assertThat(queries.latest("EURUSD", "1s", 10))
        .containsExactly(
            candle("1s", T.plusSeconds(6), "1.3", 2, false),
            candle("1s", T.plusSeconds(1), "1.2", 1, false),
            candle("1s", T, "1.1", 1, true));
    assertThat(queries.latest("EURUSD", "1s", 1))
        .containsExactly(candle("1s", T.plusSeconds(6), "1.3", 2, false));
    // derived from closed base candles only: [T, T+1s) closed at T+6s, [T+1s, T+2s) closes at T+7s
    assertThat(queries.latest("EURUSD", "1m", 10))
        .containsExactly(candle("1m", T, "1.1", 1, false));

    candles.pipe(tick("EURUSD", 5, T.plusMillis(7_000), "1.4"));
    assertThat(queries.latest("EURUSD", "1s", 10))
        .extracting(Candle::getIsFinal)
        .containsExactly(false, false, true, true);
    assertThat(queries.latest("EURUSD", "1m", 10))
        .containsExactly(candle("1m", T, "1.1", "1.2", 2, false));
    assertThat(queries.latest("GBPUSD", "1m", 10)).isEmpty();
  }

  @Test
  void aDerivedCandleIsFinalOnceANewerWindowExists() {
    candles.pipe(
        tick("EURUSD", 1, T.plusMillis(100), "1.1"),
        tick("EURUSD", 2, T.plusSeconds(60), "1.2"),
        tick("EURUSD", 3, T.plusSeconds(70), "1.3"));

    assertThat(queries.latest("EURUSD", "1m", 5))
        .containsExactly(
            candle("1m", T.plusSeconds(60), "1.2", 1, false), candle("1m", T, "1.1", 1, true));
  }

  @Test
  void looksBackTheStoreRetentionFromNowOrFromAGivenTime() {
    Instant longAgo = T.minus(Duration.ofDays(3));
    candles.pipe(
        tick("EURUSD", 1, longAgo, "1.1"), tick("EURUSD", 2, longAgo.plusSeconds(1), "1.2"));

    // a replay from three days ago is older than the 1s store's retention (500 s) before now
    assertThat(queries.latest("EURUSD", "1s", 10)).isEmpty();
    assertThat(queries.latest("EURUSD", "1s", 10, longAgo.plusSeconds(5)))
        .containsExactly(
            candle("1s", longAgo.plusSeconds(1), "1.2", 1, false),
            candle("1s", longAgo, "1.1", 1, false));
    assertThat(queries.latest("EURUSD", "1s", 10, longAgo.plusMillis(500)))
        .containsExactly(candle("1s", longAgo, "1.1", 1, false));
    // the 1d store keeps 500 days
    candles.pipe(tick("EURUSD", 3, longAgo.plusSeconds(10), "1.3"));
    assertThat(queries.latest("EURUSD", "1d", 10)).hasSize(1);
  }

  @Test
  void refusesUnknownIntervalsAndEmptyCounts() {
    assertThatThrownBy(() -> queries.latest("EURUSD", "2m", 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown interval '2m'; configured: [1s, 1m, 5m, 15m, 1h, 1d]");
    assertThatThrownBy(() -> queries.latest("EURUSD", "1m", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
