package io.rtx.candles;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.schemas.Candle;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Property: every final candle, of every interval, equals a direct aggregation of the accepted
 * ticks of its window, computed here from scratch — for a few thousand seeded-random ticks arriving
 * out of order, with redeliveries (some with other prices), late ticks and quotes without a trade.
 */
class CandleDerivationTest {

  private static final List<String> SYMBOLS = List.of("EURUSD", "GBPUSD", "USDJPY");
  private static final String SENTINEL = "ZZZZZZ";
  private static final long GRACE_MS = 5_000;

  /** A tick as piped, in arrival order. */
  private record Arrival(Tick tick, long arrivalKey) {}

  @ParameterizedTest(name = "basis {0}, seed {1}")
  @CsvSource({"bid,1", "mid,2", "last,3"})
  void finalCandlesOfEveryIntervalEqualDirectAggregationOfAcceptedTicks(
      String basisName, long seed) {
    CandleSettings settings = CandleSettings.from(Map.of("candles.price.basis", basisName));
    PriceBasis basis = settings.priceBasis();
    TickCheck check = new TickCheck(basis, Ticks.MAX_AHEAD, Ticks.CLOCK);
    List<Tick> arrivals = generate(new Random(seed), Instant.parse("2026-11-26T22:40:00Z"), 3_000);

    // the model: stream time moves with valid ticks only; a valid tick is late once its base window
    // closed
    List<Tick> accepted = new ArrayList<>();
    List<Tick> late = new ArrayList<>();
    List<Tick> invalid = new ArrayList<>();
    long streamTime = -1;
    long base = settings.base().sizeMs();
    for (Tick t : arrivals) {
      if (check.problem(t.getSymbol(), t).isPresent()) {
        invalid.add(t);
        continue;
      }
      long ts = t.getTs().toEpochMilli();
      streamTime = Math.max(streamTime, ts);
      if (ts - Math.floorMod(ts, base) + base + GRACE_MS <= streamTime) {
        late.add(t);
      } else {
        accepted.add(t);
      }
    }
    assertThat(late).as("the data has late ticks").hasSizeGreaterThan(10);
    assertThat(accepted.size())
        .as("most valid ticks are accepted")
        .isGreaterThan((arrivals.size() - invalid.size()) * 8 / 10);

    List<KeyValue<String, Candle>> actual;
    try (CandleDriver driver = new CandleDriver(settings)) {
      arrivals.forEach(driver::pipe);
      // flush: a far tick of another symbol, then one more so its own base window closes and
      // reaches the
      // derived windows, whose stream time only moves with closed base candles
      Instant end = Instant.ofEpochMilli(streamTime).plus(java.time.Duration.ofDays(2));
      driver.pipe(
          Ticks.trade(SENTINEL, 1, end, "1", "1", null),
          Ticks.trade(SENTINEL, 2, end.plusSeconds(10), "1", "1", null));

      assertThat(driver.late.readValuesToList()).isEqualTo(late);
      assertThat(driver.dlq.readValuesToList()).isEqualTo(invalid);
      actual = new ArrayList<>(driver.candles.readKeyValuesToList());
    }
    actual.removeIf(kv -> kv.value.getSymbol().equals(SENTINEL));
    actual.sort(order(settings));

    List<KeyValue<String, Candle>> expected = new ArrayList<>();
    for (CandleInterval interval : settings.intervals()) {
      expected.addAll(aggregate(accepted, interval, basis));
    }
    expected.sort(order(settings));
    assertThat(actual).hasSizeGreaterThan(1_000).isEqualTo(expected);
  }

  /**
   * Ticks 0-3 s apart per symbol around UTC midnight, delayed up to 4 s (within grace), some much
   * later.
   */
  private static List<Tick> generate(Random random, Instant start, int count) {
    Map<String, BigDecimal> price = new LinkedHashMap<>();
    Map<String, Long> seq = new LinkedHashMap<>();
    SYMBOLS.forEach(
        s -> {
          price.put(s, new BigDecimal("1.20000"));
          seq.put(s, 1_000L);
        });
    List<Arrival> arrivals = new ArrayList<>();
    long ts = start.toEpochMilli();
    for (int i = 0; i < count; i++) {
      String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
      ts +=
          random.nextInt(
              1_000); // ~3 ticks/s over all symbols: candles of 1-3 ticks plus empty seconds
      BigDecimal bid =
          price.merge(symbol, BigDecimal.valueOf(random.nextInt(21) - 10, 5), BigDecimal::add);
      long s = seq.merge(symbol, 1L, Long::sum);
      boolean trades = random.nextInt(4) != 0;
      Tick tick =
          Tick.newBuilder()
              .setSymbol(symbol)
              .setSeq(s)
              .setTs(Instant.ofEpochMilli(ts))
              .setVenue("TEST")
              .setBid(Decimals.of(bid))
              .setAsk(Decimals.of(bid.add(BigDecimal.valueOf(1 + random.nextInt(3), 5))))
              .setLastPrice(
                  trades ? Decimals.of(bid.add(BigDecimal.valueOf(random.nextInt(3), 5))) : null)
              .setLastSize(
                  trades ? Decimals.of(BigDecimal.valueOf(1 + random.nextInt(500), 2)) : null)
              .build();
      int roll = random.nextInt(100);
      long delay = roll < 2 ? 20_000 + random.nextInt(30_000) : random.nextInt(4_000);
      arrivals.add(new Arrival(tick, ts + delay));
      if (roll >= 94) { // a redelivery within grace, a third of them with other prices
        Tick again =
            roll >= 98
                ? Tick.newBuilder(tick)
                    .setBid(Decimals.of(bid.add(new BigDecimal("0.00100"))))
                    .setLastSize(null)
                    .build()
                : tick;
        arrivals.add(new Arrival(again, ts + random.nextInt(4_000)));
      }
    }
    arrivals.sort(
        Comparator.comparingLong(Arrival::arrivalKey)); // stable: equal keys keep creation order
    return arrivals.stream().map(Arrival::tick).toList();
  }

  /**
   * Direct aggregation: per symbol and window, first arrival of each seq counts; open/close by (ts,
   * seq).
   */
  private static List<KeyValue<String, Candle>> aggregate(
      List<Tick> accepted, CandleInterval interval, PriceBasis basis) {
    Map<String, List<Tick>> windows = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (Tick t : accepted) {
      long ts = t.getTs().toEpochMilli();
      long start = ts - Math.floorMod(ts, interval.sizeMs());
      if (seen.add(t.getSymbol() + "/" + t.getSeq())) {
        windows.computeIfAbsent(t.getSymbol() + "/" + start, k -> new ArrayList<>()).add(t);
      }
    }
    Comparator<Tick> eventOrder = Comparator.comparing(Tick::getTs).thenComparingLong(Tick::getSeq);
    List<KeyValue<String, Candle>> candles = new ArrayList<>();
    windows.forEach(
        (key, ticks) -> {
          String symbol = key.substring(0, key.indexOf('/'));
          long start = Long.parseLong(key.substring(key.indexOf('/') + 1));
          List<BigDecimal> prices = ticks.stream().map(basis::priceOf).toList();
          Candle candle =
              new Candle(
                  symbol,
                  interval.label(),
                  Instant.ofEpochMilli(start),
                  Decimals.of(basis.priceOf(ticks.stream().min(eventOrder).orElseThrow())),
                  Decimals.of(prices.stream().max(Comparator.naturalOrder()).orElseThrow()),
                  Decimals.of(prices.stream().min(Comparator.naturalOrder()).orElseThrow()),
                  Decimals.of(basis.priceOf(ticks.stream().max(eventOrder).orElseThrow())),
                  Decimals.of(
                      ticks.stream()
                          .map(Tick::getLastSize)
                          .filter(java.util.Objects::nonNull)
                          .reduce(BigDecimal.ZERO, BigDecimal::add)),
                  (long) ticks.size(),
                  true);
          candles.add(KeyValue.pair(symbol + ":" + interval.label(), candle));
        });
    return candles;
  }

  private static Comparator<KeyValue<String, Candle>> order(CandleSettings settings) {
    return Comparator.comparing(
            (KeyValue<String, Candle> kv) ->
                settings.interval(kv.value.getInterval()).orElseThrow().size())
        .thenComparing(kv -> kv.value.getSymbol())
        .thenComparing(kv -> kv.value.getBucketStart());
  }
}
