package io.rtx.candles;

import io.rtx.schemas.Decimals;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Locale;

/** Which price of a tick a candle is built from ({@code candles.price.basis}). */
public enum PriceBasis {
  BID,
  /** (bid + ask) / 2 at scale 8, HALF_EVEN. */
  MID,
  /** The last trade price; ticks without one are not counted. */
  LAST;

  private static final BigDecimal TWO = BigDecimal.valueOf(2);

  /**
   * The tick's price on this basis, or null when the tick does not carry it (LAST without a trade).
   */
  public BigDecimal priceOf(Tick tick) {
    return switch (this) {
      case BID -> tick.getBid();
      case MID ->
          tick.getBid().add(tick.getAsk()).divide(TWO, Decimals.SCALE, RoundingMode.HALF_EVEN);
      case LAST -> tick.getLastPrice();
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PriceBasis parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(b -> b.label().equals(t))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "price basis '" + text + "' is not one of bid, mid, last"));
  }
}
