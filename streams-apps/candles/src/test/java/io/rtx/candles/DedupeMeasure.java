package io.rtx.candles;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;

/**
 * Not a test: what one symbol's ticks in one window cost, for a consecutive and a gappy feed — the
 * state's round trip alone (what the store does with it on every tick), and the whole topology on a
 * TopologyTestDriver, which commits, so writes the changelogs, after every record. Run with the
 * module's test classpath: {@code java -cp ... io.rtx.candles.DedupeMeasure [ticks] [intervals]}.
 */
public final class DedupeMeasure {

  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

  private DedupeMeasure() {}

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    String intervals = args.length > 1 ? args[1] : "1m";
    for (int round = 1; round <= 2; round++) { // the first round warms the JIT up
      for (boolean gappy : new boolean[] {false, true}) {
        roundTrips(gappy, count, round);
        topology(gappy, count, intervals, round);
      }
    }
  }

  private static long nextSeq(long seq, boolean gappy, Random random) {
    return seq + (gappy ? 7 + (random.nextInt(50) == 0 ? random.nextInt(100_000) : 0) : 1);
  }

  private static void roundTrips(boolean gappy, int count, int round) {
    Random random = new Random(1);
    BigDecimal price = new BigDecimal("1.10000000");
    byte[] state = OpenCandleSerde.write(OpenCandle.empty());
    long seq = 1_000;
    long began = System.nanoTime();
    for (int i = 0; i < count; i++) {
      seq = nextSeq(seq, gappy, random);
      state = OpenCandleSerde.write(OpenCandleSerde.read(state).add(i, seq, price, null));
    }
    System.out.printf(
        "round %d, %-11s state read + add + write: %.2f us/tick, state %,d bytes%n",
        round,
        gappy ? "gappy" : "consecutive",
        (System.nanoTime() - began) / 1e3 / count,
        state.length);
  }

  private static void topology(boolean gappy, int count, String intervals, int round) {
    CandleSettings settings = CandleSettings.from(Map.of("candles.intervals", intervals));
    String store = settings.base().storeName();
    Random random = new Random(1);
    long seq = 1_000;
    int[] largest = new int[2];
    try (CandleDriver driver = new CandleDriver(settings)) {
      long began = System.nanoTime();
      for (int i = 0; i < count; i++) {
        seq = nextSeq(seq, gappy, random);
        driver.pipe(Ticks.tick("EURUSD", seq, T.plusMillis(i * 59_999L / count), "1.1000"));
        if (i % 1_000 == 999) {
          largest[0] = Math.max(largest[0], drain(driver, "candles-test-" + store + "-changelog"));
          largest[1] =
              Math.max(
                  largest[1], drain(driver, "candles-test-" + store + "-final-store-changelog"));
          driver.live.readValuesToList();
        }
      }
      System.out.printf(
          "round %d, %-11s topology (%s): %,.0f ticks/s; largest record %,d bytes in the %s"
              + " changelog, %,d in its suppression buffer's%n",
          round,
          gappy ? "gappy" : "consecutive",
          intervals,
          count / ((System.nanoTime() - began) / 1e9),
          largest[0],
          store,
          largest[1]);
    }
  }

  /** Reads a topic's records so far; the size of the largest value. */
  private static int drain(CandleDriver driver, String topic) {
    TestOutputTopic<byte[], byte[]> records =
        driver.driver.createOutputTopic(
            topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    return records.readValuesToList().stream()
        .mapToInt(v -> v == null ? 0 : v.length)
        .max()
        .orElse(0);
  }
}
