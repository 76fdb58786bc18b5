package io.rtx.candles;

import static io.rtx.candles.Ticks.quote;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.schemas.Tick;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ticks dated ahead of the app's clock, with the default settings. */
class SkewedClockTest {

  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  /** A clock that moves forward by {@code step} each time it is read. */
  private static Clock moving(Instant start, Duration step) {
    return new Clock() {
      private Instant now = start;

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public synchronized Instant instant() {
        Instant t = now;
        now = now.plus(step);
        return t;
      }
    };
  }

  @Test
  void oneSkewedTickMakesNoOtherTickLate() {
    // the app's clock keeps pace with the ticks: 100 ms per tick, read twice per tick at most
    try (CandleDriver candles =
        new CandleDriver(CandleSettings.defaults(), moving(NOW, Duration.ofMillis(50)))) {
      List<Tick> ticks = new ArrayList<>();
      long seq = 0;
      for (int i = 0; i < 200; i++) {
        Instant ts = NOW.plusMillis(100L * i);
        ticks.add(quote("EURUSD", ++seq, ts, "1.1000").build());
        ticks.add(quote("GBPUSD", seq, ts, "1.2500").build());
        if (i == 20) {
          // a publisher with a skewed clock, 50 s ahead, on the same partition
          ticks.add(quote("USDJPY", 1, ts.plusSeconds(50), "150.00").build());
        }
      }
      candles.pipe(ticks.toArray(Tick[]::new));

      assertThat(candles.late.readValuesToList()).isEmpty();
      assertThat(candles.dlq.readValuesToList())
          .extracting(Tick::getSymbol)
          .containsExactly("USDJPY");
    }
  }

  @Test
  void aTickTooFarAheadWhenReadStaysInvalidHoweverTheClockMoves() {
    // every read of this clock is 2 s later than the one before: a tick 1.5 s ahead of the first
    // read (max ahead 1 s) would pass a second read
    try (CandleDriver candles =
        new CandleDriver(CandleSettings.defaults(), moving(NOW, Duration.ofSeconds(2)))) {
      candles.pipe(quote("EURUSD", 1, NOW.plusMillis(1_500), "1.1000").build());

      assertThat(candles.dlq.readValuesToList()).extracting(Tick::getSeq).containsExactly(1L);
      assertThat(candles.live.readValuesToList()).isEmpty();
    }
  }
}
