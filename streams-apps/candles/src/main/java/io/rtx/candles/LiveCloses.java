package io.rtx.candles;

import java.time.Duration;

/**
 * Tells the gate when to ask Kafka Streams for a commit: when stream time has just closed a base
 * window, and that close is live (the wall clock is within one base interval, at least a second, of
 * it).
 *
 * <p>A window's final candle leaves the suppression buffer only when the window store's record
 * cache is flushed, which happens at a commit, and a reader sees it (read_committed) only once that
 * transaction commits. Without a request the final candle waits for the next periodic commit
 * ({@code kafka.commit.interval.ms}); with one, Streams commits after the current batch of records.
 * A replay or a catch-up, whose closes are not live, commits on the interval alone: it closes
 * windows far faster than once per base interval.
 */
final class LiveCloses {

  private final long baseMs;
  private final long graceMs;
  private final long liveMs;
  private long closed = Long.MIN_VALUE; // base windows with a smaller index have closed

  LiveCloses(Duration base, Duration grace) {
    this.baseMs = base.toMillis();
    this.graceMs = grace.toMillis();
    this.liveMs = Math.max(baseMs, 1_000);
  }

  /**
   * @param streamTime the task's stream time, the current record included
   * @param wallClock the stream thread's clock
   * @return whether this stream time closed a base window that was still open before, and did so
   *     live
   */
  boolean commitNow(long streamTime, long wallClock) {
    // window k, [k * base, (k + 1) * base), closes at (k + 1) * base + grace
    long closing = Math.floorDiv(streamTime - graceMs, baseMs);
    if (closing <= closed) {
      return false;
    }
    closed = closing;
    return wallClock - (closing * baseMs + graceMs) < liveMs;
  }
}
