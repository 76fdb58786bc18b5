package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.util.List;

/**
 * Ticks not yet in the sink, collapsed to the newest per symbol. One instance serves all tasks of a
 * stream thread, so a flush is one pipeline however many partitions the thread owns.
 */
final class PendingQuotes {

  /** Where a flush sends the newest ticks after the sink: market.quotes, through a task. */
  interface Onward {
    void forward(List<Tick> newest);
  }

  private final QuoteSink sink;
  private final int batchSize;
  private final NewestTicks pending = new NewestTicks();
  private int buffered; // ticks added since the last flush, before collapsing

  PendingQuotes(QuoteSink sink, int batchSize) {
    this.sink = sink;
    this.batchSize = batchSize;
  }

  void add(Tick tick, Onward onward) {
    pending.add(tick);
    if (++buffered >= batchSize) {
      publish(onward);
    }
  }

  /**
   * Hands the pending ticks to the sink, which blocks while Redis is away, then onward; kept if
   * either throws (applying them twice is harmless: the sink compares seqs, market.quotes is
   * keyed).
   */
  void publish(Onward onward) {
    if (!pending.isEmpty()) {
      List<Tick> newest = pending.values();
      sink.publish(newest);
      onward.forward(newest);
      pending.clear();
      buffered = 0;
    }
  }
}
