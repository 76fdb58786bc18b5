package io.rtx.candles;

import io.rtx.candles.TickGate.Route;
import io.rtx.candles.TickGate.Routed;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Suppressed.BufferConfig;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;

/**
 * OHLC candles per symbol from {@code market.ticks}.
 *
 * <pre>
 * market.ticks ─ gate ─┬─ invalid ──────────────────────────────────────────────▶ market.ticks.dlq
 *                      ├─ late ─────────────────────────────────────────────────▶ market.ticks.late
 *                      └─ accepted ─ base window (candles-1s) ─┬─ updates ──────▶ market.candles.live
 *                                                              └─ suppress ─┬───▶ market.candles
 *     repartition "candles-base-finals" (by symbol) ◀───────────────────────┘
 *       └─ per larger interval: window (candles-1m, ...) ─ updates ▶ live, suppress ▶ market.candles
 * </pre>
 *
 * One store update per tick; larger intervals are merged from closed base candles. Every processor,
 * store and internal topic is named, so names stay stable as the topology evolves.
 */
public final class CandleTopology {

  /**
   * Repartition of closed base candles by symbol: topic {@code
   * <application.id>-candles-base-finals-repartition}.
   */
  public static final String BASE_FINALS = "candles-base-finals";

  private CandleTopology() {}

  public static Topology build(CandleSettings settings, CandleSerdes serdes) {
    return build(settings, serdes, Clock.systemUTC());
  }

  /**
   * @param clock what a tick's ts is compared with ({@link CandleSettings#maxAhead()})
   */
  public static Topology build(CandleSettings settings, CandleSerdes serdes, Clock clock) {
    StreamsBuilder builder = new StreamsBuilder();
    TickCheck check = new TickCheck(settings.priceBasis(), settings.maxAhead(), clock);
    CandleInterval base = settings.base();
    PriceBasis basis = settings.priceBasis();

    Map<String, KStream<String, Routed>> routes =
        builder.stream(
                settings.ticksTopic(),
                Consumed.with(Serdes.String(), serdes.tick())
                    .withTimestampExtractor(new TickTimestampExtractor(check))
                    .withName("candles-ticks"))
            .processValues(
                () -> new TickGate(check, base.size(), settings.grace()), Named.as("candles-gate"))
            .split(Named.as("candles-"))
            .branch((symbol, routed) -> routed.route() == Route.INVALID, Branched.as("invalid"))
            .branch((symbol, routed) -> routed.route() == Route.LATE, Branched.as("late"))
            .defaultBranch(Branched.as("accepted"));

    routes
        .get("candles-invalid")
        .mapValues(Routed::tick, Named.as("candles-invalid-ticks"))
        .to(
            settings.dlqTopic(),
            Produced.with(Serdes.String(), serdes.tick()).withName("candles-dlq-sink"));
    routes
        .get("candles-late")
        .mapValues(Routed::tick, Named.as("candles-late-ticks"))
        .to(
            settings.lateTopic(),
            Produced.with(Serdes.String(), serdes.tick()).withName("candles-late-sink"));

    KTable<Windowed<String>, OpenCandle> baseCandles =
        routes
            .get("candles-accepted")
            .mapValues(Routed::tick, Named.as("candles-accepted-ticks"))
            .groupByKey(Grouped.with("candles-ticks-by-symbol", Serdes.String(), serdes.tick()))
            .windowedBy(TimeWindows.ofSizeAndGrace(base.size(), settings.grace()))
            .aggregate(
                OpenCandle::empty,
                (symbol, tick, candle) ->
                    candle.add(
                        tick.getTs().toEpochMilli(),
                        tick.getSeq(),
                        basis.priceOf(tick),
                        tick.getLastSize()),
                Named.as(base.storeName() + "-aggregate"),
                store(base, settings));
    KStream<Windowed<String>, OpenCandle> baseFinals = publish(baseCandles, base, settings, serdes);

    if (!settings.derived().isEmpty()) {
      // Selecting the symbol as key makes Streams repartition; the finals are few (one per symbol
      // and base
      // window) and, keyed alike, land on the partition number their ticks came from.
      KGroupedStream<String, OpenCandle> closedBase =
          baseFinals
              .selectKey((window, candle) -> window.key(), Named.as(BASE_FINALS + "-by-symbol"))
              .groupByKey(Grouped.with(BASE_FINALS, Serdes.String(), new OpenCandleSerde()));
      for (CandleInterval larger : settings.derived()) {
        KTable<Windowed<String>, OpenCandle> candles =
            closedBase
                .windowedBy(TimeWindows.ofSizeAndGrace(larger.size(), settings.derivedGrace()))
                .aggregate(
                    OpenCandle::empty,
                    (symbol, closed, candle) -> candle.merge(closed),
                    Named.as(larger.storeName() + "-aggregate"),
                    store(larger, settings));
        publish(candles, larger, settings, serdes);
      }
    }
    return builder.build();
  }

  /** Key of both candle topics. */
  public static String candleKey(String symbol, String interval) {
    return symbol + ":" + interval;
  }

  /**
   * Sends every update of the open candles to the live topic (as often as the record cache lets
   * through) and each window's final candle, once, when it closes; returns the closed candles.
   */
  private static KStream<Windowed<String>, OpenCandle> publish(
      KTable<Windowed<String>, OpenCandle> candles,
      CandleInterval interval,
      CandleSettings settings,
      CandleSerdes serdes) {
    String name = interval.storeName();
    String label = interval.label();
    candles
        .toStream(Named.as(name + "-updates"))
        .map(
            (window, candle) ->
                KeyValue.pair(
                    candleKey(window.key(), label),
                    candle.toCandle(window.key(), label, window.window().startTime(), false)),
            Named.as(name + "-live"))
        .to(
            settings.liveTopic(),
            Produced.with(Serdes.String(), serdes.candle()).withName(name + "-live-sink"));

    // Unbounded buffer, on the heap: one entry per symbol and window not yet closed (README,
    // RTX_APP_HEAP).
    KStream<Windowed<String>, OpenCandle> finals =
        candles
            .suppress(
                Suppressed.untilWindowCloses(BufferConfig.unbounded()).withName(name + "-final"))
            .toStream(Named.as(name + "-closed"));
    finals
        .map(
            (window, candle) ->
                KeyValue.pair(
                    candleKey(window.key(), label),
                    candle.toCandle(window.key(), label, window.window().startTime(), true)),
            Named.as(name + "-finals"))
        .to(
            settings.candlesTopic(),
            Produced.with(Serdes.String(), serdes.candle()).withName(name + "-final-sink"));
    return finals;
  }

  private static Materialized<String, OpenCandle, WindowStore<Bytes, byte[]>> store(
      CandleInterval interval, CandleSettings settings) {
    Duration retention = settings.retention(interval);
    return Materialized.<String, OpenCandle, WindowStore<Bytes, byte[]>>as(interval.storeName())
        .withKeySerde(Serdes.String())
        .withValueSerde(new OpenCandleSerde())
        .withRetention(retention);
  }
}
