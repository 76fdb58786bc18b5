package io.rtx.quotes;

import io.rtx.schemas.Tick;

/**
 * Ticks not yet in the sink, collapsed to the newest per symbol. One instance serves all tasks of a
 * stream thread, so a flush is one pipeline however many partitions the thread owns.
 */
final class PendingQuotes {

  private final QuoteSink sink;
  private final int batchSize;
  private final NewestTicks pending = new NewestTicks();
  private int buffered; // ticks added since the last flush, before collapsing

  PendingQuotes(QuoteSink sink, int batchSize) {
    this.sink = sink;
    this.batchSize = batchSize;
  }

  void add(Tick tick) {
    pending.add(tick);
    if (++buffered >= batchSize) {
      publish();
    }
  }

  /**
   * Hands the pending ticks to the sink, which blocks while Redis is away; kept if the sink throws.
   */
  void publish() {
    if (!pending.isEmpty()) {
      sink.publish(pending.values());
      pending.clear();
      buffered = 0;
    }
  }
}
