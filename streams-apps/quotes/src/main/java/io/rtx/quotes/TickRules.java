package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.util.Optional;

/** What makes a tick unfit for the quote cache; such ticks go to market.ticks.dlq with the reason. */
final class TickRules {

  /** Why a tick was refused: {@code reason} is a stable code for the DLQ header, {@code detail} is for people. */
  record Violation(String reason, String detail) {}

  static final String UNREADABLE = "unreadable";
  static final String NULL_VALUE = "null-value";
  static final String BLANK_SYMBOL = "blank-symbol";
  static final String NEGATIVE_SEQ = "negative-seq";
  static final String NON_POSITIVE_PRICE = "non-positive-price";
  static final String CROSSED_QUOTE = "crossed-quote";

  private TickRules() {}

  static Optional<Violation> check(Tick tick) {
    if (tick == null) {
      return violation(NULL_VALUE, "tick value is null (tombstone)");
    }
    String id = tick.getSymbol() + " seq " + tick.getSeq();
    if (tick.getSymbol().isBlank()) {
      return violation(BLANK_SYMBOL, "symbol is blank, seq " + tick.getSeq());
    }
    // the Redis compare-and-set orders seqs as non-negative decimal strings
    if (tick.getSeq() < 0) {
      return violation(NEGATIVE_SEQ, id + ": seq is negative");
    }
    if (tick.getBid().signum() <= 0 || tick.getAsk().signum() <= 0) {
      return violation(NON_POSITIVE_PRICE, id + ": bid " + tick.getBid().toPlainString()
          + " and ask " + tick.getAsk().toPlainString() + " must both be > 0");
    }
    if (tick.getAsk().compareTo(tick.getBid()) < 0) {
      return violation(CROSSED_QUOTE, id + ": ask " + tick.getAsk().toPlainString()
          + " is below bid " + tick.getBid().toPlainString());
    }
    return Optional.empty();
  }

  private static Optional<Violation> violation(String reason, String detail) {
    return Optional.of(new Violation(reason, detail));
  }
}
