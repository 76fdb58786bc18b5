package io.rtx.candles;

import io.rtx.schemas.Candle;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads recent candles from this instance's window stores (interactive queries). Which instance
 * holds a symbol is the caller's business ({@code KafkaStreams.queryMetadataForKey(storeName,
 * symbol, ...)}).
 *
 * <p>A fetch is bounded to the interval's store retention before an "as of" time: Streams' record
 * cache walks a window store one time segment at a time, so an unbounded fetch would step through
 * every segment since 1970 (millions on the base store).
 */
public final class CandleQueries {

  /**
   * Opens an interval's window store by name; {@link #of(KafkaStreams, CandleSettings)} uses
   * Streams' IQ.
   */
  @FunctionalInterface
  public interface WindowStores {
    ReadOnlyWindowStore<String, OpenCandle> open(String storeName);
  }

  private final CandleSettings settings;
  private final WindowStores stores;
  private final Clock clock;

  public CandleQueries(CandleSettings settings, WindowStores stores, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.stores = Objects.requireNonNull(stores, "stores");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Queries the local stores of a running app; store calls throw InvalidStateStoreException while
   * it rebalances.
   */
  public static CandleQueries of(KafkaStreams streams, CandleSettings settings) {
    return new CandleQueries(
        settings,
        name ->
            streams.store(
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.windowStore())),
        Clock.systemUTC());
  }

  /**
   * The latest {@code count} candles of a symbol and interval, newest first, the open one included:
   * those whose window started within the interval's retention ({@link CandleSettings#retention})
   * before now, by the clock, or later. Data replayed from further back needs {@link
   * #latest(String, String, int, Instant)}.
   *
   * <p>IQ does not know stream time, so {@code is_final} is judged from this symbol's own newest
   * window: a candle is final when its window ended (plus grace, for the base interval) at or
   * before the newest window's start. The newest candle is therefore never final, even when a quiet
   * market has closed it.
   *
   * @throws IllegalArgumentException for an interval that is not configured or a count below 1
   */
  public List<Candle> latest(String symbol, String interval, int count) {
    return latest(symbol, interval, count, clock.instant(), Instant.ofEpochMilli(Long.MAX_VALUE));
  }

  /**
   * As {@link #latest(String, String, int)}, for windows that started at or before {@code asOf}.
   */
  public List<Candle> latest(String symbol, String interval, int count, Instant asOf) {
    return latest(symbol, interval, count, asOf, asOf);
  }

  private List<Candle> latest(
      String symbol, String interval, int count, Instant anchor, Instant to) {
    CandleInterval candleInterval =
        settings
            .interval(interval)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown interval '"
                            + interval
                            + "'; configured: "
                            + settings.intervals().stream().map(CandleInterval::label).toList()));
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    Instant from = anchor.minus(settings.retention(candleInterval));
    if (from.isBefore(Instant.EPOCH)) {
      from = Instant.EPOCH;
    }
    // Derived windows receive closed base candles in order: once a newer window exists, older ones
    // are done.
    long settleMs = candleInterval.equals(settings.base()) ? settings.grace().toMillis() : 0;
    List<Candle> candles = new ArrayList<>(Math.min(count, settings.history() + 2));
    ReadOnlyWindowStore<String, OpenCandle> store = stores.open(candleInterval.storeName());
    try (WindowStoreIterator<OpenCandle> windows = store.backwardFetch(symbol, from, to)) {
      long newestStart = Long.MIN_VALUE;
      while (windows.hasNext() && candles.size() < count) {
        KeyValue<Long, OpenCandle> window = windows.next();
        long start = window.key;
        if (candles.isEmpty()) {
          newestStart = start;
        }
        boolean isFinal = start + candleInterval.sizeMs() + settleMs <= newestStart;
        candles.add(
            window.value.toCandle(
                symbol, candleInterval.label(), Instant.ofEpochMilli(start), isFinal));
      }
    }
    return candles;
  }
}
