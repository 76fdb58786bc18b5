package io.rtx.common;

import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What makes a {@code market.ticks} record unfit for any app. A refused record goes to {@code
 * market.ticks.dlq} with {@link Rejection#reason()} as {@code rtx.error.reason} and {@link
 * Rejection#detail()} as {@code rtx.error.detail} ({@link DeadLetters}). Apps may refuse more on
 * top (candles: the price its basis needs), with codes of their own.
 */
public final class TickRules {

  /** The value bytes cannot be read as a Tick. */
  public static final String UNREADABLE = "UNREADABLE";

  /** The record has no value (a tombstone). */
  public static final String NULL_VALUE = "NULL_VALUE";

  /** The record has no key; ticks are keyed by symbol. */
  public static final String NULL_KEY = "NULL_KEY";

  /** The key is not the tick's symbol, so the tick is on the wrong partition for its symbol. */
  public static final String KEY_MISMATCH = "KEY_MISMATCH";

  /**
   * A tick that cannot be right: blank symbol, negative seq, ts before 1970, bid or ask not
   * positive, ask below bid (ask = bid is a valid locked quote), negative last_size.
   */
  public static final String INVALID_TICK = "INVALID_TICK";

  /** Why a tick was refused: a stable upper-case code and a sentence for people. */
  public record Rejection(String reason, String detail) {
    public Rejection {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  private TickRules() {}

  /**
   * Empty when the record is fine; {@code key} is the record key as text, null when it has none.
   */
  public static Optional<Rejection> check(String key, Tick tick) {
    if (tick == null) {
      return reject(NULL_VALUE, "record has no value (a tombstone)");
    }
    if (key == null) {
      return reject(
          NULL_KEY, "record has no key; ticks are keyed by symbol (" + tick.getSymbol() + ")");
    }
    if (!key.equals(tick.getSymbol())) {
      return reject(
          KEY_MISMATCH, "key '" + key + "' differs from symbol '" + tick.getSymbol() + "'");
    }
    if (tick.getSymbol().isBlank()) {
      return reject(INVALID_TICK, "symbol is blank");
    }
    // seqs order ticks as non-negative numbers (the quote cache compares them as decimal strings)
    if (tick.getSeq() < 0) {
      return reject(INVALID_TICK, "seq " + tick.getSeq() + " is negative");
    }
    if (tick.getTs().toEpochMilli() < 0) {
      return reject(INVALID_TICK, "ts " + tick.getTs() + " is before 1970");
    }
    BigDecimal bid = tick.getBid();
    BigDecimal ask = tick.getAsk();
    if (bid.signum() <= 0 || ask.signum() <= 0) {
      return reject(
          INVALID_TICK,
          "bid " + bid.toPlainString() + " and ask " + ask.toPlainString() + " must be positive");
    }
    if (ask.compareTo(bid) < 0) {
      return reject(
          INVALID_TICK, "ask " + ask.toPlainString() + " is below bid " + bid.toPlainString());
    }
    if (tick.getLastSize() != null && tick.getLastSize().signum() < 0) {
      return reject(
          INVALID_TICK, "last_size " + tick.getLastSize().toPlainString() + " is negative");
    }
    return Optional.empty();
  }

  /** A refusal, for apps that add rules of their own. */
  public static Optional<Rejection> reject(String reason, String detail) {
    return Optional.of(new Rejection(reason, detail));
  }
}
