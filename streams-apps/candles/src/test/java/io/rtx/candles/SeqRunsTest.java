package io.rtx.candles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

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
}
