package io.rtx.quotes;

import io.rtx.schemas.Decimals;
import io.rtx.schemas.Tick;
import java.time.Instant;

/** Ticks for tests: prices derived from seq unless given, so the newest one is recognisable. */
final class Ticks {

  static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

  private Ticks() {}

  static Tick tick(String symbol, long seq) {
    return tick(symbol, seq, "1.0" + seq, "1.1" + seq);
  }

  static Tick tick(String symbol, long seq, String bid, String ask) {
    return Tick.newBuilder()
        .setSymbol(symbol)
        .setSeq(seq)
        .setTs(T0.plusMillis(seq))
        .setBid(Decimals.of(bid))
        .setAsk(Decimals.of(ask))
        .setVenue("TEST")
        .build();
  }

  static Tick withSizes(Tick tick, String bidSize, String askSize) {
    return Tick.newBuilder(tick)
        .setBidSize(Decimals.of(bidSize))
        .setAskSize(Decimals.of(askSize))
        .build();
  }
}
