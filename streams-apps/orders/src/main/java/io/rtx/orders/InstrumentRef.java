package io.rtx.orders;

import java.math.BigDecimal;

/** An instrument as the database has it ({@code ref.instruments}). */
public record InstrumentRef(
    String symbol,
    String quoteCurrency,
    BigDecimal tickSize,
    BigDecimal lotSize,
    BigDecimal minQuantity,
    BigDecimal maxQuantity,
    BigDecimal contractSize,
    BigDecimal marginRate,
    BigDecimal priceBandPct,
    String status) {

  public boolean trading() {
    return "TRADING".equals(status);
  }
}
