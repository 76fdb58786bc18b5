package io.rtx.candles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeqRunsTest {

  private static SeqRuns of(long... seqs) {
    SeqRuns runs = SeqRuns.EMPTY;
    for (long s : seqs) {
      runs = runs.with(s);
    }
    return runs;
  }

  @Test
  void consecutiveSeqsFormOneRun() {
    SeqRuns runs = of(5, 6, 7, 8);
    assertThat(runs.bounds()).containsExactly(5, 8);
    assertThat(runs.contains(4)).isFalse();
    assertThat(runs.contains(5)).isTrue();
    assertThat(runs.contains(8)).isTrue();
    assertThat(runs.contains(9)).isFalse();
  }

  @Test
  void gapsMakeRunsAndFillingAGapJoinsThem() {
    SeqRuns runs = of(10, 12, 20, 11);
    assertThat(runs.bounds()).containsExactly(10, 12, 20, 20);
    assertThat(runs.with(19).bounds()).containsExactly(10, 12, 19, 20);
    assertThat(runs.with(13).bounds()).containsExactly(10, 13, 20, 20);
    assertThat(runs.with(1).bounds()).containsExactly(1, 1, 10, 12, 20, 20);
    assertThat(runs.with(15).bounds()).containsExactly(10, 12, 15, 15, 20, 20);
    assertThat(runs.with(21).toString()).isEqualTo("[10..12, 20..21]");
  }

  @Test
  void addingAKnownSeqChangesNothing() {
    SeqRuns runs = of(1, 2, 3);
    assertThat(runs.with(2)).isSameAs(runs);
  }

  @Test
  void extremesDoNotOverflow() {
    SeqRuns runs = of(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, 0);
    assertThat(runs.bounds())
        .containsExactly(Long.MIN_VALUE, Long.MIN_VALUE, 0, 0, Long.MAX_VALUE - 1, Long.MAX_VALUE);
    assertThat(runs.contains(Long.MIN_VALUE + 1)).isFalse();
  }

  @Test
  void agreesWithASetOnRandomSeqs() {
    Random random = new Random(7);
    SeqRuns runs = SeqRuns.EMPTY;
    TreeSet<Long> expected = new TreeSet<>();
    for (int i = 0; i < 5_000; i++) {
      long seq = random.nextInt(2_000);
      assertThat(runs.contains(seq)).isEqualTo(expected.contains(seq));
      runs = runs.with(seq);
      expected.add(seq);
    }
    for (long seq = -1; seq <= 2_001; seq++) {
      assertThat(runs.contains(seq)).as("seq %d", seq).isEqualTo(expected.contains(seq));
    }
    long[] b = runs.bounds();
    for (int i = 2; i < b.length; i += 2) {
      assertThat(b[i]).as("runs never touch").isGreaterThan(b[i - 1] + 1);
    }
  }

  @Test
  void rebuildsOnlyWellFormedRuns() {
    assertThat(SeqRuns.of(new long[] {1, 3, 5, 5})).isEqualTo(of(1, 2, 3, 5));
    assertThat(SeqRuns.of(new long[0])).isSameAs(SeqRuns.EMPTY);
    assertThatThrownBy(() -> SeqRuns.of(new long[] {1, 3, 4, 5}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SeqRuns.of(new long[] {5, 3}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SeqRuns.of(new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aGappyFeedKeepsAtMostMaxRunsAndNeverForgetsACountedSeq() {
    SeqRuns runs = SeqRuns.EMPTY;
    List<Long> counted = new ArrayList<>();
    for (long seq = 1_000; counted.size() < 10 * SeqRuns.MAX_RUNS; seq += 7) {
      runs = runs.with(seq);
      counted.add(seq);
    }
    assertThat(runs.runCount()).isEqualTo(SeqRuns.MAX_RUNS);
    assertThat(counted).allMatch(runs::contains);
    assertThat(runs.contains(999)).as("below everything counted: new").isFalse();
    long newest = counted.get(counted.size() - 1);
    assertThat(runs.contains(newest - 3)).as("in a gap kept open").isFalse();
    assertThat(runs.contains(newest + 1)).isFalse();
  }

  @Test
  void oneRunTooManyJoinsTheLowestTwo() {
    SeqRuns runs = SeqRuns.EMPTY;
    for (int k = 0; k < SeqRuns.MAX_RUNS; k++) {
      runs = runs.with(10L * k);
    }
    assertThat(runs.runCount()).isEqualTo(SeqRuns.MAX_RUNS);
    assertThat(runs.contains(5)).isFalse();

    SeqRuns capped = runs.with(10L * SeqRuns.MAX_RUNS);
    assertThat(capped.runCount()).isEqualTo(SeqRuns.MAX_RUNS);
    assertThat(capped.bounds()).startsWith(0, 10, 20, 20);
    assertThat(capped.contains(5)).as("in the filled gap: taken for a redelivery").isTrue();
    assertThat(capped.contains(15)).isFalse();
    assertThat(capped.with(-3).bounds())
        .as("a seq below everything is new, and the gap above it fills")
        .startsWith(-3, 10, 20, 20);
  }

  /**
   * Against a plain set of the seqs offered, for random streams of each shape a feed has: a
   * redelivery is never new, within the cap every new seq is new, and beyond it a new seq is taken
   * for a redelivery only behind at least {@code MAX_RUNS} counted larger seqs.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void agreesWithASetWithinTheCapAndNeverCountsASeqTwice(long seed) {
    Random random = new Random(seed);
    for (int stream = 0; stream < 6; stream++) {
      boolean withinCap = stream % 2 == 0;
      List<Long> seqs = stream(random, withinCap ? SeqRuns.MAX_RUNS : 5 * SeqRuns.MAX_RUNS);
      SeqRuns runs = SeqRuns.EMPTY;
      Set<Long> offered = new HashSet<>();
      TreeSet<Long> counted = new TreeSet<>();
      for (long seq : seqs) {
        boolean isNew = !runs.contains(seq);
        boolean reallyNew = offered.add(seq);
        if (!reallyNew) {
          assertThat(isNew).as("redelivery of %d", seq).isFalse();
        } else if (withinCap) {
          assertThat(isNew).as("new seq %d within the cap", seq).isTrue();
        } else if (!isNew) {
          assertThat(counted.tailSet(seq, false).size())
              .as("larger seqs counted before %d was taken for a redelivery", seq)
              .isGreaterThanOrEqualTo(SeqRuns.MAX_RUNS);
        }
        if (isNew) {
          counted.add(seq);
        }
        runs = runs.with(seq);
        assertThat(runs.runCount()).isLessThanOrEqualTo(SeqRuns.MAX_RUNS);
      }
      assertThat(counted).allMatch(runs::contains);
      if (withinCap) {
        assertThat(counted).isEqualTo(new TreeSet<>(offered));
      }
    }
  }

  /**
   * {@code distinct} seqs of one of a feed's shapes — consecutive, skipping by 7, venue-wide
   * (random steps and jumps) — in blocks shuffled out of order, with redeliveries of recent and old
   * seqs.
   */
  private static List<Long> stream(Random random, int distinct) {
    int shape = random.nextInt(3);
    List<Long> fresh = new ArrayList<>();
    long seq = random.nextInt(1_000_000);
    for (int i = 0; i < distinct; i++) {
      seq +=
          switch (shape) {
            case 0 -> 1;
            case 1 -> 7;
            default -> 1 + random.nextInt(random.nextInt(20) == 0 ? 1_000_000 : 50);
          };
      fresh.add(seq);
    }
    int block = 1 + random.nextInt(64);
    for (int from = 0; from < fresh.size(); from += block) {
      Collections.shuffle(fresh.subList(from, Math.min(fresh.size(), from + block)), random);
    }
    List<Long> arrivals = new ArrayList<>();
    for (int i = 0; i < fresh.size(); i++) {
      arrivals.add(fresh.get(i));
      if (random.nextInt(10) == 0) {
        int back =
            random.nextBoolean() ? random.nextInt(Math.min(i + 1, 32)) : random.nextInt(i + 1);
        arrivals.add(fresh.get(i - back));
      }
    }
    return arrivals;
  }
}
