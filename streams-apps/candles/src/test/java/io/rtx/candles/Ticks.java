package io.rtx.candles;

import io.rtx.schemas.Decimals;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.time.Instant;

/** Test ticks: a quote with a one-pip spread unless told otherwise. */
final class Ticks {

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

  static Tick trade(String symbol, long seq, Instant ts, String bid, String lastPrice, String lastSize) {
    return quote(symbol, seq, ts, bid)
        .setLastPrice(lastPrice == null ? null : Decimals.of(lastPrice))
        .setLastSize(lastSize == null ? null : Decimals.of(lastSize))
        .build();
  }
}
