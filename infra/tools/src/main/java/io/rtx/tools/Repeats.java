package io.rtx.tools;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * A latency measured in several repeats, summarised as the median across repeats and their range:
 * one number that does not hang on a single unlucky window, and the spread that says how far to
 * trust it.
 */
final class Repeats {

  private Repeats() {}

  /** "p50 6 ms [5–8], p99 266 ms [200–300], max 461 ms [400–520]". */
  static String of(List<Histogram> repeats, double... percentiles) {
    StringBuilder s = new StringBuilder();
    for (double p : percentiles) {
      s.append("p")
          .append(BigDecimal.valueOf(p).stripTrailingZeros().toPlainString())
          .append(' ')
          .append(summary(repeats, h -> h.getValueAtPercentile(p), "%.0f", " ms"))
          .append(", ");
    }
    return s.append("max ")
        .append(summary(repeats, Histogram::getMaxValue, "%.0f", " ms"))
        .toString();
  }

  /**
   * How far one path sits above its floor, repeat by repeat: the difference of the p50s and the
   * ratio of the p99s ("p50 +2 ms [+1–+3], p99 ×1.10 [0.95–1.30]").
   */
  static String above(List<Histogram> path, List<Histogram> floor) {
    if (path.size() != floor.size()) {
      throw new IllegalArgumentException("one floor per repeat");
    }
    double[] p50 = new double[path.size()];
    double[] p99 = new double[path.size()];
    for (int i = 0; i < path.size(); i++) {
      p50[i] = path.get(i).getValueAtPercentile(50) - floor.get(i).getValueAtPercentile(50);
      p99[i] =
          path.get(i).getValueAtPercentile(99)
              / (double) Math.max(1, floor.get(i).getValueAtPercentile(99));
    }
    return "p50 " + summary(p50, "%+.0f", " ms") + ", p99 ×" + summary(p99, "%.2f", "");
  }

  /** The median across repeats of one percentile, in the histograms' unit. */
  static double median(List<Histogram> repeats, double percentile) {
    double[] v = repeats.stream().mapToDouble(h -> h.getValueAtPercentile(percentile)).toArray();
    return median(v);
  }

  static long total(List<Histogram> repeats) {
    return repeats.stream().mapToLong(Histogram::getTotalCount).sum();
  }

  private static String summary(
      List<Histogram> repeats, ToDoubleFunction<Histogram> value, String format, String unit) {
    return summary(repeats.stream().mapToDouble(value).toArray(), format, unit);
  }

  /** "6 ms [5–8]": the median (the mean of the middle two for an even count) and the range. */
  private static String summary(double[] values, String format, String unit) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    String m = String.format(format, median(v)) + unit;
    if (n == 1) {
      return m;
    }
    return m + " [" + String.format(format, v[0]) + "–" + String.format(format, v[n - 1]) + "]";
  }

  /** The median of values (the mean of the middle two for an even count). */
  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
