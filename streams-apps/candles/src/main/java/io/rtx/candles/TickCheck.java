package io.rtx.candles;

import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Whether a tick record can go into candles; the reason codes go to the DLQ as {@code rtx.error.reason}.
 * Checks only what candles use: a bad last_price does not reject a bid-based tick.
 */
public final class TickCheck {

  public static final String NULL_VALUE = "NULL_VALUE";
  public static final String NULL_KEY = "NULL_KEY";
  public static final String KEY_MISMATCH = "KEY_MISMATCH";
  /** Prices or sizes that cannot be right: bid or ask not positive, ask below bid, negative size, ts before 1970. */
  public static final String INVALID_TICK = "INVALID_TICK";
  /** The tick lacks the price the configured basis needs (a quote without last_price under basis last). */
  public static final String MISSING_PRICE = "MISSING_PRICE";

  /** Why a tick was refused: a short code and a sentence for people. */
  public record Rejection(String reason, String detail) {}

  private final PriceBasis basis;

  public TickCheck(PriceBasis basis) {
    this.basis = basis;
  }

  /** Empty when the tick is fine. */
  public Optional<Rejection> problem(String key, Tick tick) {
    if (tick == null) {
      return reject(NULL_VALUE, "record has no value");
    }
    if (key == null) {
      return reject(NULL_KEY, "record has no key; ticks are keyed by symbol (" + tick.getSymbol() + ")");
    }
    if (!key.equals(tick.getSymbol())) {
      return reject(KEY_MISMATCH, "key '" + key + "' differs from symbol '" + tick.getSymbol() + "'");
    }
    if (tick.getSymbol().isBlank()) {
      return reject(INVALID_TICK, "symbol is blank");
    }
    if (tick.getTs().toEpochMilli() < 0) {
      return reject(INVALID_TICK, "ts " + tick.getTs() + " is before 1970");
    }
    BigDecimal bid = tick.getBid();
    BigDecimal ask = tick.getAsk();
    if (bid.signum() <= 0 || ask.signum() <= 0) {
      return reject(INVALID_TICK, "bid " + bid.toPlainString() + " and ask " + ask.toPlainString() + " must be positive");
    }
    if (ask.compareTo(bid) < 0) {
      return reject(INVALID_TICK, "ask " + ask.toPlainString() + " is below bid " + bid.toPlainString());
    }
    if (tick.getLastSize() != null && tick.getLastSize().signum() < 0) {
      return reject(INVALID_TICK, "last_size " + tick.getLastSize().toPlainString() + " is negative");
    }
    if (basis == PriceBasis.LAST) {
      if (tick.getLastPrice() == null) {
        return reject(MISSING_PRICE, "no last_price, which candles.price.basis=last needs");
      }
      if (tick.getLastPrice().signum() <= 0) {
        return reject(INVALID_TICK, "last_price " + tick.getLastPrice().toPlainString() + " must be positive");
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejection> reject(String reason, String detail) {
    return Optional.of(new Rejection(reason, detail));
  }
}
