package io.rtx.quotes;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one WebSocket client has yet to receive: at most one quote per symbol, the newest, plus the
 * one frame being written. A quote that arrives while an older one of the same symbol still waits
 * replaces it in place (conflation); a quote not newer ({@link QuoteVersion}) than the newest one
 * accepted for its symbol is ignored, so a client never sees a symbol go backwards (the snapshot on
 * connect and the updates of the Redis channel may cross). Its size is therefore bounded by the
 * client's symbols, whatever the rate of quotes or the speed of the client.
 *
 * <p>Symbols are sent in the order they first became pending. Thread-safe: quotes are offered by
 * the Redis subscriber and the connect path, taken by whichever thread sends next.
 */
final class ConflatedQuotes {

  /** A quote to send: its symbol, seq and the JSON message as published in Redis. */
  record Pending(String symbol, long seq, String json) {}

  private final Map<String, QuoteVersion> newest = new HashMap<>();
  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
  private boolean inFlight;
  private long inFlightSinceNanos;
  private long conflated;

  /**
   * Takes a quote unless the client already has (or will get) one at least as new.
   *
   * @return whether it was taken
   */
  synchronized boolean offer(String symbol, QuoteVersion version, String json) {
    QuoteVersion held = newest.get(symbol);
    if (held != null && !version.supersedes(held)) {
      return false;
    }
    newest.put(symbol, version);
    // put on an existing key keeps its place: a symbol that ticks fast does not starve the others
    if (pending.put(symbol, new Pending(symbol, version.seq(), json)) != null) {
      conflated++;
    }
    return true;
  }

  /**
   * The next quote to send, which then counts as in flight until {@link #sent}; {@code null} while
   * one is in flight or nothing is pending.
   */
  synchronized Pending next(long nowNanos) {
    if (inFlight || pending.isEmpty()) {
      return null;
    }
    Iterator<Pending> first = pending.values().iterator();
    Pending p = first.next();
    first.remove();
    inFlight = true;
    inFlightSinceNanos = nowNanos;
    return p;
  }

  /** The quote in flight has been written: the next one may go. */
  synchronized void sent() {
    inFlight = false;
  }

  /** Quotes waiting, not counting the one in flight: at most the client's symbols. */
  synchronized int size() {
    return pending.size();
  }

  /** Quotes replaced by a newer one of the same symbol before they were sent. */
  synchronized long conflated() {
    return conflated;
  }

  /** How long the frame in flight has been waiting for its socket, in ns; 0 when none is. */
  synchronized long inFlightNanos(long nowNanos) {
    return inFlight ? nowNanos - inFlightSinceNanos : 0;
  }
}
