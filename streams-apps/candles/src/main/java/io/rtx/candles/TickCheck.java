package io.rtx.candles;

import io.rtx.common.TickRules;
import io.rtx.common.TickRules.Rejection;
import io.rtx.schemas.Tick;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a tick record can go into candles: the shared {@link TickRules}, plus the price the
 * configured basis needs. Only the basis in use is checked: a bad last_price does not reject a
 * bid-based tick.
 */
public final class TickCheck {

  /**
   * The tick lacks the price the configured basis needs (a quote without last_price under basis
   * last).
   */
  public static final String MISSING_PRICE = "MISSING_PRICE";

  private final PriceBasis basis;
  private final long maxAheadMs;
  private final Clock clock;

  /**
   * @param maxAhead how far a tick's ts may be ahead of {@code clock}
   */
  public TickCheck(PriceBasis basis, Duration maxAhead, Clock clock) {
    this.basis = basis;
    this.maxAheadMs = maxAhead.toMillis();
    this.clock = clock;
  }

  /** Empty when the tick is fine, now: {@link #structural} and not ahead of the clock. */
  public Optional<Rejection> problem(String key, Tick tick) {
    Optional<Rejection> structural = structural(key, tick);
    return structural.isPresent() ? structural : ahead(tick);
  }

  /**
   * Why the tick is ahead of the clock by more than {@code maxAhead}, if it is. Read once per tick,
   * by the timestamp extractor: a later read of a moving clock could judge the same tick otherwise.
   */
  public Optional<Rejection> ahead(Tick tick) {
    long now = clock.millis();
    if (tick.getTs().toEpochMilli() > now + maxAheadMs) {
      return TickRules.reject(
          TickRules.INVALID_TICK,
          "ts "
              + tick.getTs()
              + " is more than "
              + Duration.ofMillis(maxAheadMs)
              + " ahead of the clock ("
              + Instant.ofEpochMilli(now)
              + ")");
    }
    return Optional.empty();
  }

  /** What is wrong with the tick whenever it is read: the shared rules and the basis's price. */
  public Optional<Rejection> structural(String key, Tick tick) {
    Optional<Rejection> shared = TickRules.check(key, tick);
    if (shared.isPresent()) {
      return shared;
    }
    if (basis != PriceBasis.LAST) {
      return Optional.empty();
    }
    if (tick.getLastPrice() == null) {
      return TickRules.reject(
          MISSING_PRICE, "no last_price, which " + CandleSettings.PRICE_BASIS + "=last needs");
    }
    if (tick.getLastPrice().signum() <= 0) {
      return TickRules.reject(
          TickRules.INVALID_TICK,
          "last_price " + tick.getLastPrice().toPlainString() + " must be positive");
    }
    return Optional.empty();
  }
}
