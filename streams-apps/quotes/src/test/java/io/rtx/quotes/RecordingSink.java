package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.util.ArrayList;
import java.util.List;

/** An in-memory {@link QuoteSink} that records every call; for unit tests only. */
final class RecordingSink implements QuoteSink {

  final List<List<Tick>> calls = new ArrayList<>();
  RuntimeException failWith;

  @Override
  public int publish(List<Tick> ticks) {
    if (failWith != null) {
      throw failWith;
    }
    calls.add(List.copyOf(ticks));
    return ticks.size();
  }
}
