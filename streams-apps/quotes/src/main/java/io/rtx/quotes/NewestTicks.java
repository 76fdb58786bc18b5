package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collapses ticks to the newest ({@link QuoteVersion}) of each symbol; of two alike the first one
 * stays (a redelivery).
 */
final class NewestTicks {

  private final Map<String, Tick> bySymbol = new LinkedHashMap<>();

  static List<Tick> of(List<Tick> ticks) {
    NewestTicks newest = new NewestTicks();
    ticks.forEach(newest::add);
    return newest.values();
  }

  void add(Tick tick) {
    bySymbol.merge(
        tick.getSymbol(),
        tick,
        (held, next) -> QuoteVersion.of(next).supersedes(QuoteVersion.of(held)) ? next : held);
  }

  boolean isEmpty() {
    return bySymbol.isEmpty();
  }

  List<Tick> values() {
    return new ArrayList<>(bySymbol.values());
  }

  void clear() {
    bySymbol.clear();
  }
}
