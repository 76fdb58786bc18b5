package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.time.Instant;

/** The latest top of book of one symbol, as the quote cache holds it. */
public record Quote(String symbol, BigDecimal bid, BigDecimal ask, Instant ts, long seq) {

  public static Quote of(Tick tick) {
    return new Quote(tick.getSymbol(), tick.getBid(), tick.getAsk(), tick.getTs(), tick.getSeq());
  }
}
