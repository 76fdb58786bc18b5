package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RepeatsTest {

  private static Histogram of(long... values) {
    Histogram h = new Histogram(600_000, 3);
    for (long v : values) {
      h.recordValue(v);
    }
    return h;
  }

  @Test
  void theMedianAcrossRepeatsAndTheirRange() {
    List<Histogram> repeats = List.of(of(5, 5, 300), of(8, 8, 200), of(6, 6, 250));
    assertThat(Repeats.of(repeats, 50, 99.9))
        .isEqualTo("p50 6 ms [5–8], p99.9 250 ms [200–300], max 250 ms [200–300]");
    assertThat(Repeats.total(repeats)).isEqualTo(9);
    assertThat(Repeats.median(repeats, 50)).isEqualTo(6);
  }

  @Test
  void anEvenNumberOfRepeatsTakesTheMiddleTwo() {
    assertThat(Repeats.of(List.of(of(4), of(10)), 50))
        .isEqualTo("p50 7 ms [4–10], max 7 ms [4–10]");
    assertThat(Repeats.median(List.of(of(4), of(10)), 50)).isEqualTo(7);
  }

  @Test
  void onePathAboveItsFloorRepeatByRepeat() {
    List<Histogram> quotes = List.of(of(6, 6, 100), of(9, 9, 400));
    List<Histogram> kafka = List.of(of(4, 4, 100), of(8, 8, 200));
    assertThat(Repeats.above(quotes, kafka)).isEqualTo("p50 +2 ms [+1–+2], p99 ×1.50 [1.00–2.00]");
  }

  @Test
  void oneRepeatHasNoRange() {
    assertThat(Repeats.of(List.of(of(3)), 50)).isEqualTo("p50 3 ms, max 3 ms");
  }
}
