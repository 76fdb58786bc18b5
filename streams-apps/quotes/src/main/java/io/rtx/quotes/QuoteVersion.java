package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.time.Duration;

/**
 * Which of two ticks of a symbol is the newer quote. By seq, except when a publisher restarts its
 * sequence: a tick with a seq not above the held one but dated at least {@link #RESET_AFTER} after
 * it is a reset, and supersedes it (the next ticks of the new sequence then go up from there). A
 * redelivered or late tick is never dated after the quote it would replace, so it cannot pass for a
 * reset. The same rule holds in Redis ({@link QuoteCache#SCRIPT}), in a flush's batch, on {@code
 * market.quotes} and for each WebSocket client.
 *
 * @param tsMs the tick's ts in epoch milliseconds
 */
record QuoteVersion(long seq, long tsMs) {

  /** How much newer a tick with a lower (or equal) seq must be to count as a restarted sequence. */
  static final Duration RESET_AFTER = Duration.ofSeconds(1);

  static QuoteVersion of(Tick tick) {
    return new QuoteVersion(tick.getSeq(), tick.getTs().toEpochMilli());
  }

  /** Whether a quote of this version replaces one of {@code held}. */
  boolean supersedes(QuoteVersion held) {
    long margin = RESET_AFTER.toMillis();
    return seq > held.seq
        ? tsMs > held.tsMs - margin // not a late tick of the sequence a restart replaced
        : tsMs >= held.tsMs + margin; // a restarted sequence
  }
}
