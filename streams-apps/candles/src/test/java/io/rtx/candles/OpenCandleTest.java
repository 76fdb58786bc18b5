package io.rtx.candles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.schemas.Candle;
import io.rtx.schemas.Decimals;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OpenCandleTest {

  private static final Instant BUCKET = Instant.parse("2026-11-26T10:00:00Z");

  private static BigDecimal d(String v) {
    return new BigDecimal(v);
  }

  private static Candle candle(
      String open, String high, String low, String close, String volume, long count) {
    return new Candle(
        "EURUSD",
        "1s",
        BUCKET,
        Decimals.of(open),
        Decimals.of(high),
        Decimals.of(low),
        Decimals.of(close),
        Decimals.of(volume),
        count,
        true);
  }

  @Test
  void openAndCloseFollowEventTimeThenSeqNotArrival() {
    OpenCandle c =
        OpenCandle.empty()
            .add(500, 10, d("1.2"), null)
            .add(900, 12, d("1.5"), null)
            .add(100, 11, d("1.1"), null) // earliest ts arrives third: it opens
            .add(900, 14, d("1.3"), null) // same ts as seq 12, larger seq: it closes
            .add(900, 13, d("1.9"), null); // same ts, seq between: neither, but the high

    assertThat(c.toCandle("EURUSD", "1s", BUCKET, true))
        .isEqualTo(candle("1.1", "1.9", "1.1", "1.3", "0", 5));
    assertThat(c.openAt()).isEqualTo(100);
    assertThat(c.closeSeq()).isEqualTo(14);
  }

  @Test
  void sameTsOrdersBySeq() {
    OpenCandle c =
        OpenCandle.empty()
            .add(100, 8, d("2"), null)
            .add(100, 7, d("1"), null)
            .add(100, 9, d("3"), null);
    assertThat(c.open()).isEqualByComparingTo("1");
    assertThat(c.close()).isEqualByComparingTo("3");
  }

  @Test
  void aRedeliveredSeqIsIgnoredEvenWithOtherPrices() {
    OpenCandle first = OpenCandle.empty().add(100, 1, d("1.1"), d("2"));
    OpenCandle again = first.add(100, 1, d("9.9"), d("5")).add(50, 1, d("0.1"), null);

    assertThat(again).isSameAs(first);
    assertThat(again.toCandle("EURUSD", "1s", BUCKET, true))
        .isEqualTo(candle("1.1", "1.1", "1.1", "1.1", "2", 1));
  }

  @Test
  void volumeSumsLastSizeWithAbsentAsZero() {
    OpenCandle c =
        OpenCandle.empty()
            .add(1, 1, d("1"), d("1.5"))
            .add(2, 2, d("1"), null)
            .add(3, 3, d("1"), d("2.25"));
    assertThat(c.volume()).isEqualByComparingTo("3.75");
    assertThat(c.tickCount()).isEqualTo(3);
    assertThat(c.toCandle("EURUSD", "1s", BUCKET, false).getVolume())
        .isEqualTo(new BigDecimal("3.75000000"));
  }

  @Test
  void mergesClosedSmallerCandles() {
    OpenCandle a =
        OpenCandle.empty().add(1_000, 1, d("1.10"), d("1")).add(1_500, 2, d("1.30"), null);
    OpenCandle b =
        OpenCandle.empty().add(2_100, 3, d("1.05"), d("2")).add(2_900, 4, d("1.20"), d("0.5"));
    OpenCandle c = OpenCandle.empty().add(5_000, 9, d("1.25"), null);

    OpenCandle merged = OpenCandle.empty().merge(a).merge(b).merge(c);

    assertThat(merged.toCandle("EURUSD", "1m", BUCKET, true))
        .isEqualTo(
            new Candle(
                "EURUSD",
                "1m",
                BUCKET,
                Decimals.of("1.10"),
                Decimals.of("1.30"),
                Decimals.of("1.05"),
                Decimals.of("1.25"),
                Decimals.of("3.5"),
                5L,
                true));
    assertThat(merged.openAt()).isEqualTo(1_000);
    assertThat(merged.closeAt()).isEqualTo(5_000);
    assertThat(merged.seqs().isEmpty()).isTrue();
  }

  @Test
  void aReplayedSmallerCandleIsMergedOnce() {
    OpenCandle a = OpenCandle.empty().add(1_000, 1, d("1.1"), d("1"));
    OpenCandle b = OpenCandle.empty().add(2_000, 2, d("1.2"), d("1"));

    OpenCandle merged = OpenCandle.empty().merge(a).merge(b);
    assertThat(merged.merge(b)).isSameAs(merged);
    assertThat(merged.merge(a)).isSameAs(merged);
    assertThat(merged.tickCount()).isEqualTo(2);
    assertThat(merged.merge(OpenCandle.empty())).isSameAs(merged);
  }

  @Test
  void anEmptyWindowHasNoCandle() {
    assertThat(OpenCandle.empty().isEmpty()).isTrue();
    assertThatThrownBy(() -> OpenCandle.empty().toCandle("EURUSD", "1s", BUCKET, true))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void decimalsBeyondScale8AreRefusedNotRounded() {
    OpenCandle c = OpenCandle.empty().add(1, 1, d("1.000000001"), null);
    assertThatThrownBy(() -> c.toCandle("EURUSD", "1s", BUCKET, true))
        .isInstanceOf(ArithmeticException.class);
  }
}
