package io.rtx.candles;

import static io.rtx.candles.CandleDriver.header;
import static io.rtx.candles.Ticks.quote;
import static io.rtx.candles.Ticks.tick;
import static io.rtx.candles.Ticks.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.common.DeadLetters;
import io.rtx.common.TickRules;
import io.rtx.schemas.Candle;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CandleTopologyTest {

  /** A time well inside every larger window, so only base candles close in most tests. */
  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

  private CandleDriver candles = new CandleDriver(CandleSettings.defaults());

  @AfterEach
  void close() {
    candles.close();
  }

  private static Instant at(long millisAfterT) {
    return T.plusMillis(millisAfterT);
  }

  private static KeyValue<String, Candle> candle(
      String symbol,
      String interval,
      Instant bucket,
      String open,
      String high,
      String low,
      String close,
      String volume,
      long count,
      boolean isFinal) {
    return KeyValue.pair(
        symbol + ":" + interval,
        new Candle(
            symbol,
            interval,
            bucket,
            Decimals.of(open),
            Decimals.of(high),
            Decimals.of(low),
            Decimals.of(close),
            Decimals.of(volume),
            count,
            isFinal));
  }

  private static KeyValue<String, Candle> base(
      String symbol,
      Instant bucket,
      String open,
      String high,
      String low,
      String close,
      String volume,
      long count) {
    return candle(symbol, "1s", bucket, open, high, low, close, volume, count, true);
  }

  @Test
  void outOfOrderTicksWithinGraceOpenAndCloseByEventTimeThenSeq() {
    candles.pipe(
        tick("EURUSD", 1, at(500), "1.1000"),
        tick("EURUSD", 3, at(900), "1.1010"),
        tick("EURUSD", 2, at(100), "1.0990"), // earliest event time, arrives third: the open
        tick("EURUSD", 5, at(900), "1.1020"), // same ts as seq 3 and 4, largest seq: the close
        tick("EURUSD", 4, at(900), "1.1005"),
        tick("EURUSD", 6, at(1_200), "1.1030"),
        tick("EURUSD", 7, at(300), "1.0950"), // back in the first second, within grace: counted
        tick(
            "GBPUSD", 1, at(6_000),
            "1.2500"), // stream time reaches T+1s + 5s grace: [T, T+1s) closes
        tick("GBPUSD", 2, at(7_000), "1.2500"));

    assertThat(candles.candles.readKeyValuesToList())
        .containsExactly(
            base("EURUSD", T, "1.0990", "1.1020", "1.0950", "1.1020", "0", 6),
            base("EURUSD", at(1_000), "1.1030", "1.1030", "1.1030", "1.1030", "0", 1));
  }

  @Test
  void aRedeliveredTickCountsOnceEvenWithOtherPrices() {
    candles.pipe(
        trade("EURUSD", 1, at(100), "1.1", null, "1"),
        trade("EURUSD", 2, at(200), "1.2", null, "1"),
        trade(
            "EURUSD", 1, at(100), "1.5", null,
            "7"), // redelivery of seq 1 with other values: ignored
        trade("EURUSD", 2, at(200), "1.2", null, "1"), // plain redelivery: ignored
        tick("GBPUSD", 1, at(6_000), "1.25"));

    assertThat(candles.candles.readKeyValuesToList())
        .containsExactly(base("EURUSD", T, "1.1", "1.2", "1.1", "1.2", "2", 2));
  }

  @Test
  void volumeSumsLastSizeAndTickCountCountsTicks() {
    candles.pipe(
        trade("EURUSD", 1, at(100), "1.1", null, "1.5"),
        trade("EURUSD", 2, at(200), "1.1", null, null),
        trade("EURUSD", 3, at(300), "1.1", null, "2.25"),
        tick("GBPUSD", 1, at(6_000), "1.25"));

    assertThat(candles.candles.readKeyValuesToList())
        .containsExactly(base("EURUSD", T, "1.1", "1.1", "1.1", "1.1", "3.75", 3));
  }

  @Test
  void liveUpdatesFollowTheOpenCandleAndAreNotFinal() {
    candles.pipe(
        trade("EURUSD", 1, at(100), "1.1", null, "1"),
        trade("EURUSD", 2, at(200), "1.3", null, "1"),
        trade("EURUSD", 3, at(300), "1.2", null, "1"));

    assertThat(candles.live.readKeyValuesToList())
        .containsExactly(
            candle("EURUSD", "1s", T, "1.1", "1.1", "1.1", "1.1", "1", 1, false),
            candle("EURUSD", "1s", T, "1.1", "1.3", "1.1", "1.3", "2", 2, false),
            candle("EURUSD", "1s", T, "1.1", "1.3", "1.1", "1.2", "3", 3, false));
    assertThat(candles.candles.isEmpty()).isTrue();
  }

  @Test
  void lateTicksGoToTheLateTopicWithHeadersAndNeverChangeACandle() {
    candles.pipe(
        tick("EURUSD", 1, at(100), "1.1"),
        tick("GBPUSD", 1, at(7_000), "1.25"), // [T, T+1s) closed at T+6s; [T+1s, T+2s) closes now
        tick("EURUSD", 2, at(200), "1.5"), // late by 1000 ms
        tick("EURUSD", 3, at(1_999), "1.6"), // its window closed exactly now: late by 0 ms
        tick("EURUSD", 4, at(2_000), "1.3"), // next window, closes at T+8s: accepted
        tick("GBPUSD", 2, at(20_000), "1.25"));

    List<TestRecord<String, Tick>> late = candles.late.readRecordsToList();
    assertThat(late)
        .extracting(TestRecord::key, r -> r.value().getSeq())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("EURUSD", 2L),
            org.assertj.core.groups.Tuple.tuple("EURUSD", 3L));
    assertThat(late).extracting(r -> header(r, DeadLetters.REASON)).containsOnly("LATE");
    assertThat(late)
        .extracting(r -> header(r, TickGate.HEADER_LATE_BY_MS))
        .containsExactly("1000", "0");
    assertThat(late).extracting(r -> header(r, DeadLetters.APP)).containsOnly("candles");
    assertThat(header(late.get(0), DeadLetters.DETAIL))
        .isEqualTo(
            "window [2026-11-26T10:00:00Z, 2026-11-26T10:00:01Z) closed at stream time 2026-11-26T10:00:06Z;"
                + " stream time is 2026-11-26T10:00:07Z");
    assertThat(late.get(0).timestamp()).isEqualTo(at(200).toEpochMilli());

    assertThat(candles.candles.readKeyValuesToList())
        .containsExactly(
            base("EURUSD", T, "1.1", "1.1", "1.1", "1.1", "0", 1),
            base("EURUSD", at(2_000), "1.3", "1.3", "1.3", "1.3", "0", 1),
            base("GBPUSD", at(7_000), "1.25", "1.25", "1.25", "1.25", "0", 1));
    assertThat(candles.live.readValuesToList())
        .extracting(Candle::getSymbol, c -> c.getBucketStart())
        .doesNotContain(org.assertj.core.groups.Tuple.tuple("EURUSD", at(1_000)));
    assertThat(candles.metric("late-ticks-total")).isEqualTo(2.0);
    assertThat(candles.metric("invalid-ticks-total")).isZero();
  }

  @Test
  void invalidTicksGoToTheDlqWithReasonsAndAreNotCounted() {
    Tick good = tick("EURUSD", 1, at(100), "1.1");
    Tick mismatched = tick("EURUSD", 2, at(150), "1.9");
    Tick zeroBid = tick("EURUSD", 3, at(200), "0");
    Tick crossed = quote("EURUSD", 4, at(300), "1.2").setAsk(Decimals.of("1.1")).build();
    candles.ticks.pipeInput("EURUSD", good, at(100).toEpochMilli());
    candles.ticks.pipeInput("EURUSD", null, at(110).toEpochMilli());
    candles.ticks.pipeInput(null, good, at(120).toEpochMilli());
    candles.ticks.pipeInput("GBPUSD", mismatched, at(150).toEpochMilli());
    candles.ticks.pipeInput("EURUSD", zeroBid, at(200).toEpochMilli());
    candles.ticks.pipeInput("EURUSD", crossed, at(300).toEpochMilli());
    candles.pipe(tick("GBPUSD", 1, at(6_000), "1.25"));

    List<TestRecord<String, Tick>> dlq = candles.dlq.readRecordsToList();
    assertThat(dlq)
        .extracting(TestRecord::key, TestRecord::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("EURUSD", null),
            org.assertj.core.groups.Tuple.tuple(null, good),
            org.assertj.core.groups.Tuple.tuple("GBPUSD", mismatched),
            org.assertj.core.groups.Tuple.tuple("EURUSD", zeroBid),
            org.assertj.core.groups.Tuple.tuple("EURUSD", crossed));
    assertThat(dlq)
        .extracting(r -> header(r, DeadLetters.REASON))
        .containsExactly(
            TickRules.NULL_VALUE,
            TickRules.NULL_KEY,
            TickRules.KEY_MISMATCH,
            TickRules.INVALID_TICK,
            TickRules.INVALID_TICK);
    assertThat(dlq).extracting(r -> header(r, DeadLetters.APP)).containsOnly("candles");
    assertThat(dlq)
        .extracting(r -> header(r, DeadLetters.DETAIL))
        .allSatisfy(d -> assertThat(d).isNotBlank());
    assertThat(header(dlq.get(4), DeadLetters.DETAIL))
        .isEqualTo("ask 1.10000000 is below bid 1.20000000");

    assertThat(candles.candles.readKeyValuesToList())
        .containsExactly(base("EURUSD", T, "1.1", "1.1", "1.1", "1.1", "0", 1));
    assertThat(candles.late.isEmpty()).isTrue();
    assertThat(candles.metric("invalid-ticks-total")).isEqualTo(5.0);
  }

  @Test
  void anInvalidTickFromTheFutureDoesNotCloseWindows() {
    candles.pipe(tick("EURUSD", 1, at(100), "1.1"));
    candles.ticks.pipeInput(
        "EURUSD", tick("EURUSD", 2, at(3_600_000), "0"), at(3_600_000).toEpochMilli());
    candles.pipe(tick("EURUSD", 3, at(200), "1.2"));

    assertThat(candles.late.isEmpty()).isTrue();
    assertThat(candles.candles.isEmpty()).isTrue();
    assertThat(candles.live.readValuesToList())
        .last()
        .extracting(Candle::getTickCount)
        .isEqualTo(2L);
  }

  @Test
  void aTickExactlyAtWindowEndBelongsToTheNextWindow() {
    candles.pipe(
        tick("EURUSD", 1, at(999), "1.1"),
        tick("EURUSD", 2, at(1_000), "1.2"),
        tick("GBPUSD", 1, at(7_000), "1.25"));

    List<TestRecord<String, Candle>> out = candles.candles.readRecordsToList();
    assertThat(out)
        .extracting(TestRecord::key, TestRecord::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "EURUSD:1s", base("EURUSD", T, "1.1", "1.1", "1.1", "1.1", "0", 1).value),
            org.assertj.core.groups.Tuple.tuple(
                "EURUSD:1s", base("EURUSD", at(1_000), "1.2", "1.2", "1.2", "1.2", "0", 1).value));
    // a closed candle carries the time of its latest tick: inside its own window, hence inside
    // every larger one
    assertThat(out)
        .extracting(TestRecord::timestamp)
        .containsExactly(at(999).toEpochMilli(), at(1_000).toEpochMilli());
  }

  @Test
  void everyIntervalIncludingADayThatEndsAtUtcMidnight() {
    Instant midnight = Instant.parse("2026-11-27T00:00:00Z");
    Instant before = midnight.minusSeconds(90); // 23:58:30
    candles.pipe(
        trade("EURUSD", 1, before, "1.10", null, "1"),
        trade("EURUSD", 2, before.plusMillis(400), "1.14", null, "1"),
        trade("EURUSD", 3, midnight.minusMillis(500), "1.20", null, "2"), // 23:59:59.500
        trade("EURUSD", 4, midnight.plusMillis(200), "1.30", null, "4"), // the next day
        trade("EURUSD", 5, midnight.plusMillis(1_500), "1.25", null, "8"),
        // stream time past every window that ends at midnight, plus grace, for base and derived
        // windows
        trade("EURUSD", 6, midnight.plusSeconds(10), "1.00", null, "16"));

    List<KeyValue<String, Candle>> out = candles.candles.readKeyValuesToList();
    out.sort(
        Comparator.comparing(
                (KeyValue<String, Candle> kv) ->
                    candles.settings.interval(kv.value.getInterval()).orElseThrow().size())
            .thenComparing(kv -> kv.value.getBucketStart()));
    Instant day = Instant.parse("2026-11-26T00:00:00Z");
    assertThat(out)
        .containsExactly(
            base("EURUSD", before, "1.10", "1.14", "1.10", "1.14", "2", 2),
            base("EURUSD", midnight.minusSeconds(1), "1.20", "1.20", "1.20", "1.20", "2", 1),
            base("EURUSD", midnight, "1.30", "1.30", "1.30", "1.30", "4", 1),
            base("EURUSD", midnight.plusSeconds(1), "1.25", "1.25", "1.25", "1.25", "8", 1),
            candle(
                "EURUSD",
                "1m",
                midnight.minusSeconds(120),
                "1.10",
                "1.14",
                "1.10",
                "1.14",
                "2",
                2,
                true),
            candle(
                "EURUSD",
                "1m",
                midnight.minusSeconds(60),
                "1.20",
                "1.20",
                "1.20",
                "1.20",
                "2",
                1,
                true),
            candle(
                "EURUSD",
                "5m",
                midnight.minus(Duration.ofMinutes(5)),
                "1.10",
                "1.20",
                "1.10",
                "1.20",
                "4",
                3,
                true),
            candle(
                "EURUSD",
                "15m",
                midnight.minus(Duration.ofMinutes(15)),
                "1.10",
                "1.20",
                "1.10",
                "1.20",
                "4",
                3,
                true),
            candle(
                "EURUSD",
                "1h",
                midnight.minus(Duration.ofHours(1)),
                "1.10",
                "1.20",
                "1.10",
                "1.20",
                "4",
                3,
                true),
            candle("EURUSD", "1d", day, "1.10", "1.20", "1.10", "1.20", "4", 3, true));
  }

  @Test
  void derivedLiveUpdatesComeFromClosedBaseCandles() {
    candles.pipe(
        tick("EURUSD", 1, at(100), "1.1"),
        tick("EURUSD", 2, at(1_100), "1.2"),
        tick("EURUSD", 3, at(6_500), "1.3")); // closes [T, T+1s) only

    assertThat(candles.live.readKeyValuesToList())
        .filteredOn(kv -> !kv.key.endsWith(":1s"))
        .containsExactly(
            candle("EURUSD", "1m", T, "1.1", "1.1", "1.1", "1.1", "0", 1, false),
            candle("EURUSD", "5m", T, "1.1", "1.1", "1.1", "1.1", "0", 1, false),
            candle("EURUSD", "15m", T, "1.1", "1.1", "1.1", "1.1", "0", 1, false),
            candle("EURUSD", "1h", T, "1.1", "1.1", "1.1", "1.1", "0", 1, false),
            candle(
                "EURUSD",
                "1d",
                Instant.parse("2026-11-26T00:00:00Z"),
                "1.1",
                "1.1",
                "1.1",
                "1.1",
                "0",
                1,
                false));
  }

  @Test
  void midPriceBasis() {
    candles.close();
    candles = new CandleDriver(CandleSettings.from(Map.of("candles.price.basis", "mid")));
    candles.pipe(
        quote("EURUSD", 1, at(100), "1.00000001")
            .setAsk(Decimals.of("1.00000002"))
            .build(), // 1.000000015 -> ...02
        quote("EURUSD", 2, at(200), "1.00000002")
            .setAsk(Decimals.of("1.00000003"))
            .build(), // 1.000000025 -> ...02
        quote("EURUSD", 3, at(300), "1.1").setAsk(Decimals.of("1.3")).build(),
        tick("GBPUSD", 1, at(6_000), "1.25"));

    assertThat(candles.candles.readKeyValuesToList())
        .containsExactly(base("EURUSD", T, "1.00000002", "1.2", "1.00000002", "1.2", "0", 3));
  }

  @Test
  void lastPriceBasisCountsOnlyTicksWithATrade() {
    candles.close();
    candles = new CandleDriver(CandleSettings.from(Map.of("candles.price.basis", "last")));
    candles.pipe(
        trade("EURUSD", 1, at(100), "1.1", "1.15", "3"),
        trade(
            "EURUSD", 2, at(200), "1.1", null,
            null), // a quote without a trade: not counted, reported
        trade("EURUSD", 3, at(300), "1.1", "1.05", "2"),
        trade("GBPUSD", 1, at(6_000), "1.25", "1.25", null));

    assertThat(candles.candles.readKeyValuesToList())
        .containsExactly(base("EURUSD", T, "1.15", "1.15", "1.05", "1.05", "5", 2));
    List<TestRecord<String, Tick>> dlq = candles.dlq.readRecordsToList();
    assertThat(dlq).extracting(r -> r.value().getSeq()).containsExactly(2L);
    assertThat(header(dlq.get(0), DeadLetters.REASON)).isEqualTo(TickCheck.MISSING_PRICE);
  }

  @Test
  void everyStoreProcessorAndInternalTopicIsNamed() {
    TopologyDescription description =
        CandleTopology.build(CandleSettings.defaults(), CandleDriver.SERDES).describe();

    assertThat(description.toString()).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    assertThat(description.subtopologies()).hasSize(2);
    assertThat(
            description.subtopologies().stream()
                .flatMap(s -> s.nodes().stream())
                .filter(n -> n instanceof TopologyDescription.Processor)
                .flatMap(n -> ((TopologyDescription.Processor) n).stores().stream())
                .distinct()
                .sorted())
        .containsExactly(
            "candles-15m",
            "candles-15m-final-store",
            "candles-1d",
            "candles-1d-final-store",
            "candles-1h",
            "candles-1h-final-store",
            "candles-1m",
            "candles-1m-final-store",
            "candles-1s",
            "candles-1s-final-store",
            "candles-5m",
            "candles-5m-final-store");
    assertThat(description.toString()).contains("topics: [candles-base-finals-repartition]");
  }

  @Test
  void aSingleIntervalNeedsNoRepartition() {
    TopologyDescription description =
        CandleTopology.build(
                CandleSettings.from(Map.of("candles.intervals", "1m")), CandleDriver.SERDES)
            .describe();
    assertThat(description.subtopologies()).hasSize(1);
    assertThat(description.toString()).doesNotContain("repartition");
  }
}
