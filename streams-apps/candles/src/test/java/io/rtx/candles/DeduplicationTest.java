package io.rtx.candles;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.schemas.Candle;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 100,000 ticks of one symbol in one minute — more than {@link SeqRuns#MAX_RUNS} in every base
 * window, and in one 1m window more than the 65,000 that took an uncapped state past Kafka's 1 MiB
 * record limit — reordered within blocks and with redeliveries from up to 3,000 ticks back, some
 * with other prices: every tick counts exactly once, and no record the base store or its
 * suppression buffer writes to a changelog outgrows the bound.
 */
class DeduplicationTest {

  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
  private static final int TICKS = 100_000;

  /** The bound on a base-store record: the seq runs, and the prices around them. */
  private static final int MAX_STATE_BYTES = SeqRuns.MAX_BYTES + 256;

  /** The suppression buffer keeps a window's previous value beside its new one. */
  private static final int MAX_BUFFER_BYTES = 2 * MAX_STATE_BYTES + 256;

  @ParameterizedTest(name = "{0} seqs, intervals {1}")
  @CsvSource({"gappy,1s", "gappy,1m", "consecutive,1m"})
  void everyTickCountsOnceAndTheStateStaysBounded(String shape, String intervals) {
    CandleSettings settings = CandleSettings.from(Map.of("candles.intervals", intervals));
    Random random = new Random(11);
    List<Tick> ticks = ticks(random, shape.equals("gappy"));
    List<Tick> arrivals = arrivals(random, ticks);
    String store = settings.base().storeName();
    int largestState = 0;
    int largestBuffered = 0;

    List<Candle> finals;
    try (CandleDriver driver = new CandleDriver(settings)) {
      for (int i = 0; i < arrivals.size(); i++) {
        driver.pipe(arrivals.get(i));
        if (i % 2_000 == 1_999 || i == arrivals.size() - 1) {
          largestState = Math.max(largestState, drain(driver, store + "-changelog"));
          largestBuffered =
              Math.max(largestBuffered, drain(driver, store + "-final-store-changelog"));
          driver.live.readValuesToList();
        }
      }
      driver.pipe(Ticks.tick("ZZZZZZ", 1, T.plusSeconds(3_600), "1")); // closes every window
      finals = new ArrayList<>(driver.candles.readValuesToList());
    }
    finals.removeIf(c -> c.getSymbol().equals("ZZZZZZ"));

    List<Candle> expected = new ArrayList<>();
    for (CandleInterval interval : settings.intervals()) {
      expected.addAll(aggregate(ticks, interval));
    }
    Comparator<Candle> order =
        Comparator.comparing(Candle::getInterval).thenComparing(Candle::getBucketStart);
    finals.sort(order);
    expected.sort(order);
    assertThat(finals).isEqualTo(expected);
    assertThat(largestState).isPositive().isLessThanOrEqualTo(MAX_STATE_BYTES);
    assertThat(largestBuffered).isPositive().isLessThanOrEqualTo(MAX_BUFFER_BYTES);
  }

  /**
   * Distinct ticks in event-time and seq order over one minute; seqs consecutive or, like a venue's
   * sequence numbers, 7 apart with occasional jumps.
   */
  private static List<Tick> ticks(Random random, boolean gappy) {
    List<Tick> ticks = new ArrayList<>(TICKS);
    long seq = 1_000_000;
    long bid = 108_000;
    for (int i = 0; i < TICKS; i++) {
      seq += gappy ? 7 + (random.nextInt(100) == 0 ? random.nextInt(1_000_000) : 0) : 1;
      bid += random.nextInt(11) - 5;
      String size = random.nextInt(3) == 0 ? null : Integer.toString(1 + random.nextInt(1_000));
      ticks.add(
          Ticks.trade(
              "EURUSD",
              seq,
              T.plusMillis(i * 60_000L / TICKS),
              BigDecimal.valueOf(bid, 5).toPlainString(),
              null,
              size));
    }
    return ticks;
  }

  /**
   * The ticks in blocks of 40 shuffled (a few ms of event time: within grace, and within the runs'
   * cap), each one in twenty followed by a redelivery of a tick up to 3,000 back, a third of them
   * with other prices (a lower bid, no size: counted, they would show in the low and the volume).
   */
  private static List<Tick> arrivals(Random random, List<Tick> ticks) {
    List<Tick> shuffled = new ArrayList<>(ticks);
    for (int from = 0; from < shuffled.size(); from += 40) {
      Collections.shuffle(shuffled.subList(from, Math.min(shuffled.size(), from + 40)), random);
    }
    List<Tick> arrivals = new ArrayList<>();
    for (int i = 0; i < shuffled.size(); i++) {
      arrivals.add(shuffled.get(i));
      if (random.nextInt(20) == 0) {
        Tick again = shuffled.get(i - random.nextInt(Math.min(i + 1, 3_000)));
        arrivals.add(
            random.nextInt(3) == 0
                ? Tick.newBuilder(again).setBid(Decimals.of("0.5")).setLastSize(null).build()
                : again);
      }
    }
    return arrivals;
  }

  /** Each tick once: ticks come in (ts, seq) order, so a window's first opens and last closes. */
  private static List<Candle> aggregate(List<Tick> ticks, CandleInterval interval) {
    Map<Long, List<Tick>> windows = new LinkedHashMap<>();
    for (Tick t : ticks) {
      long ts = t.getTs().toEpochMilli();
      windows
          .computeIfAbsent(ts - Math.floorMod(ts, interval.sizeMs()), k -> new ArrayList<>())
          .add(t);
    }
    List<Candle> candles = new ArrayList<>();
    windows.forEach(
        (start, window) ->
            candles.add(
                new Candle(
                    "EURUSD",
                    interval.label(),
                    Instant.ofEpochMilli(start),
                    window.get(0).getBid(),
                    Decimals.of(
                        window.stream()
                            .map(Tick::getBid)
                            .max(Comparator.naturalOrder())
                            .orElseThrow()),
                    Decimals.of(
                        window.stream()
                            .map(Tick::getBid)
                            .min(Comparator.naturalOrder())
                            .orElseThrow()),
                    window.get(window.size() - 1).getBid(),
                    Decimals.of(
                        window.stream()
                            .map(Tick::getLastSize)
                            .filter(java.util.Objects::nonNull)
                            .reduce(BigDecimal.ZERO, BigDecimal::add)),
                    (long) window.size(),
                    true)));
    return candles;
  }

  /** The largest value written to an internal topic of the app since the last call. */
  private static int drain(CandleDriver driver, String suffix) {
    return driver
        .driver
        .createOutputTopic(
            "candles-test-" + suffix, new ByteArrayDeserializer(), new ByteArrayDeserializer())
        .readValuesToList()
        .stream()
        .filter(java.util.Objects::nonNull)
        .mapToInt(v -> v.length)
        .max()
        .orElse(0);
  }
}
