package io.rtx.candles;

import io.rtx.schemas.Decimals;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Test ticks: a quote with a one-pip spread unless told otherwise. */
final class Ticks {

  /**
   * Test ticks are dated around 2026; a clock far past them keeps the max-ahead rule out of other
   * tests.
   */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2200-01-01T00:00:00Z"), ZoneOffset.UTC);

  static final Duration MAX_AHEAD = Duration.ofMinutes(1);

  private Ticks() {}

  static Tick.Builder quote(String symbol, long seq, Instant ts, String bid) {
    BigDecimal b = Decimals.of(bid);
    return Tick.newBuilder()
        .setSymbol(symbol)
        .setSeq(seq)
        .setTs(ts)
        .setBid(b)
        .setAsk(Decimals.of(b.add(new BigDecimal("0.0001"))))
        .setVenue("TEST");
  }

  static Tick tick(String symbol, long seq, Instant ts, String bid) {
    return quote(symbol, seq, ts, bid).build();
  }

  static Tick trade(
      String symbol, long seq, Instant ts, String bid, String lastPrice, String lastSize) {
    return quote(symbol, seq, ts, bid)
        .setLastPrice(lastPrice == null ? null : Decimals.of(lastPrice))
        .setLastSize(lastSize == null ? null : Decimals.of(lastSize))
        .build();
  }
}
