package io.rtx.candles;

import io.rtx.common.AppSettings;
import io.rtx.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the candles app, read from a plain map (the config layer supplies it) over the
 * defaults in {@code candles.properties}, the one place they are written down; every value is
 * checked here so a bad setting fails at start-up with the setting's name in the message.
 *
 * @param intervals candle intervals, ascending; the first is the base interval aggregated from
 *     ticks, the others are derived from its closed candles and must be multiples of it
 * @param grace how long after a base window's end ticks for it are still accepted (event time)
 * @param priceBasis which tick price the candles are built from
 * @param history candles kept per symbol and interval in the window stores, for queries
 * @param maxAhead how far a tick's ts may be ahead of the app's clock; later ones are invalid
 *     input, since one tick from a broken feed clock would otherwise close every window at once
 */
public record CandleSettings(
    List<CandleInterval> intervals,
    Duration grace,
    PriceBasis priceBasis,
    int history,
    Duration maxAhead,
    String ticksTopic,
    String lateTopic,
    String dlqTopic,
    String candlesTopic,
    String liveTopic) {

  /**
   * The app's name: its defaults resource {@code candles.properties}, and {@code rtx.error.app} on
   * what it routes aside.
   */
  public static final String APP = "candles";

  public static final String INTERVALS = "candles.intervals";
  public static final String GRACE = "candles.grace";
  public static final String PRICE_BASIS = "candles.price.basis";
  public static final String HISTORY = "candles.history";
  public static final String MAX_AHEAD = "candles.max.ahead";

  private static final Set<String> KNOWN =
      Set.of(INTERVALS, GRACE, PRICE_BASIS, HISTORY, MAX_AHEAD);

  public CandleSettings {
    Objects.requireNonNull(intervals, INTERVALS);
    Objects.requireNonNull(grace, GRACE);
    Objects.requireNonNull(priceBasis, PRICE_BASIS);
    if (intervals.isEmpty()) {
      throw new IllegalArgumentException(INTERVALS + " must name at least one interval");
    }
    intervals = intervals.stream().sorted(Comparator.comparing(CandleInterval::size)).toList();
    CandleInterval base = intervals.get(0);
    for (int i = 1; i < intervals.size(); i++) {
      CandleInterval previous = intervals.get(i - 1);
      CandleInterval interval = intervals.get(i);
      if (interval.size().equals(previous.size())) {
        throw new IllegalArgumentException(
            INTERVALS
                + ": "
                + previous.label()
                + " and "
                + interval.label()
                + " are the same interval");
      }
      if (interval.sizeMs() % base.sizeMs() != 0) {
        throw new IllegalArgumentException(
            INTERVALS
                + ": "
                + interval.label()
                + " is not a multiple of the base (smallest) interval "
                + base.label());
      }
    }
    if (intervals.stream().map(CandleInterval::label).distinct().count() != intervals.size()) {
      throw new IllegalArgumentException(
          INTERVALS + ": labels must be distinct, got " + labels(intervals));
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException(GRACE + " must not be negative, got " + grace);
    }
    if (maxAhead == null || maxAhead.isNegative()) {
      throw new IllegalArgumentException(MAX_AHEAD + " must not be negative, got " + maxAhead);
    }
    if (maxAhead.compareTo(grace) > 0) {
      // a tick that passes moves stream time up to maxAhead past the clock: beyond grace, the
      // other symbols' on-time ticks would be late
      throw new IllegalArgumentException(
          MAX_AHEAD + " (" + maxAhead + ") must not be more than " + GRACE + " (" + grace + ")");
    }
    if (history < 1) {
      throw new IllegalArgumentException(HISTORY + " must be at least 1, got " + history);
    }
    for (String topic : new String[] {ticksTopic, lateTopic, dlqTopic, candlesTopic, liveTopic}) {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("candle topics must be named");
      }
    }
  }

  /**
   * The defaults: {@link #from} with nothing given, so every value comes from {@code
   * candles.properties}.
   */
  public static CandleSettings defaults() {
    return from(Map.of());
  }

  /**
   * Reads the {@code candles.*} keys of {@code given}, each missing one from {@code
   * candles.properties}; other keys are ignored, unknown {@code candles.*} keys are rejected (a
   * typo must not silently fall back to a default).
   */
  public static CandleSettings from(Map<String, String> given) {
    Objects.requireNonNull(given, "settings");
    AppSettings settings = AppSettings.read(APP, given, KNOWN);
    List<CandleInterval> intervals = new ArrayList<>();
    for (String label : settings.string(INTERVALS).split(",", -1)) {
      if (label.isBlank()) {
        throw new IllegalArgumentException(
            INTERVALS + " has an empty entry: '" + settings.string(INTERVALS) + "'");
      }
      try {
        intervals.add(CandleInterval.parse(label));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(INTERVALS + ": " + e.getMessage(), e);
      }
    }
    Duration grace = settings.duration(GRACE);
    PriceBasis basis = settings.parsed(PRICE_BASIS, PriceBasis::parse);
    int history = settings.integer(HISTORY);
    return new CandleSettings(
        intervals,
        grace,
        basis,
        history,
        settings.duration(MAX_AHEAD),
        Topics.MARKET_TICKS.name(),
        Topics.MARKET_TICKS_LATE.name(),
        Topics.MARKET_TICKS_DLQ.name(),
        Topics.MARKET_CANDLES.name(),
        Topics.MARKET_CANDLES_LIVE.name());
  }

  /** The smallest interval, aggregated directly from ticks. */
  public CandleInterval base() {
    return intervals.get(0);
  }

  /** The larger intervals, derived from closed base candles. */
  public List<CandleInterval> derived() {
    return intervals.subList(1, intervals.size());
  }

  /**
   * Grace of the derived windows. Base candles arrive closed and in window order, each stamped
   * inside its own base window, so one base interval of slack is plenty; it only delays derived
   * finals slightly.
   */
  public Duration derivedGrace() {
    return base().size();
  }

  public Optional<CandleInterval> interval(String label) {
    return intervals.stream().filter(i -> i.label().equals(label)).findFirst();
  }

  /**
   * Retention of an interval's window store: {@link #history} windows plus the time the newest may
   * stay open.
   */
  public Duration retention(CandleInterval interval) {
    Duration slack = interval.equals(base()) ? grace : derivedGrace();
    return interval.size().multipliedBy(history).plus(slack);
  }

  private static List<String> labels(List<CandleInterval> intervals) {
    return intervals.stream().map(CandleInterval::label).toList();
  }
}
