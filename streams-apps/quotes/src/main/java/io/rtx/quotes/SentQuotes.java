package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The newest tick ({@link QuoteVersion}) per symbol this instance has sent to market.quotes, so
 * that the topic never gets an older tick after a newer one: the buffer keeps the newest per flush,
 * but a tick that arrives late lands in a later flush. One per app instance, shared by its stream
 * threads, because a symbol's partition can move to another thread in a rebalance.
 *
 * <p>The same tick is sent again: a replay after a failed send must re-send the newest tick.
 */
final class SentQuotes {

  private final ConcurrentMap<String, QuoteVersion> newest = new ConcurrentHashMap<>();

  /** Whether {@code tick} may be sent (no newer one was), recording it as sent if so. */
  boolean admit(Tick tick) {
    QuoteVersion v = QuoteVersion.of(tick);
    return newest.merge(
            tick.getSymbol(),
            v,
            (held, next) -> next.equals(held) || next.supersedes(held) ? next : held)
        == v;
  }
}
