package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link QuoteSink} and {@link PendingQuotes.Onward} that records every call, the
 * sink's and the onward ones in one log; for unit tests only.
 */
final class RecordingSink implements QuoteSink, PendingQuotes.Onward {

  final List<List<Tick>> calls = new ArrayList<>();
  final List<List<Tick>> forwarded = new ArrayList<>();
  final List<String> log = new ArrayList<>();
  RuntimeException failWith;
  RuntimeException failForwardWith;

  @Override
  public int publish(List<Tick> ticks) {
    if (failWith != null) {
      throw failWith;
    }
    calls.add(List.copyOf(ticks));
    log.add("sink");
    return ticks.size();
  }

  @Override
  public void forward(List<Tick> newest) {
    if (failForwardWith != null) {
      throw failForwardWith;
    }
    forwarded.add(List.copyOf(newest));
    log.add("onward");
  }
}
