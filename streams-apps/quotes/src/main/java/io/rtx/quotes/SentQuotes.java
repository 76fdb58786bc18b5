package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The highest seq per symbol this instance has sent to market.quotes, so that the topic never gets
 * an older tick after a newer one: the buffer keeps the newest per flush, but a tick that arrives
 * late lands in a later flush. One per app instance, shared by its stream threads, because a
 * symbol's partition can move to another thread in a rebalance.
 *
 * <p>An equal seq is sent again: a replay after a failed send must re-send the newest tick.
 */
final class SentQuotes {

  private final ConcurrentMap<String, Long> highestSeq = new ConcurrentHashMap<>();

  /** Whether {@code tick} may be sent (no newer one was), recording it as sent if so. */
  boolean admit(Tick tick) {
    long seq = tick.getSeq();
    long held = highestSeq.merge(tick.getSymbol(), seq, Math::max);
    return held == seq;
  }
}
