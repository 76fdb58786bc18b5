package io.rtx.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The end offsets of one partition as they were seen over a window, for kafka-lag-exporter's time
 * estimate: when was the record at offset N appended? Between the two observations that surround N,
 * linearly; before the oldest one, by the rate across the window. A flat run (no new records) is
 * kept as its first and last observation, so a record after it is dated after the run's end.
 */
public final class EndOffsetTable {

  /** One observation: the partition's end offset at a wall-clock time. */
  public record Point(long offset, long timeMs) {}

  private final long windowMs;
  private final Deque<Point> points = new ArrayDeque<>();

  public EndOffsetTable(long windowMs) {
    if (windowMs <= 0) {
      throw new IllegalArgumentException("window must be positive, got " + windowMs + " ms");
    }
    this.windowMs = windowMs;
  }

  /**
   * Adds an observation. One older than the newest, or with a lower offset (a recreated topic), is
   * ignored; points older than the window go, the newest two always stay.
   */
  public void add(long offset, long timeMs) {
    Point last = points.peekLast();
    if (last != null && (timeMs <= last.timeMs() || offset < last.offset())) {
      return;
    }
    if (last != null && last.offset() == offset && points.size() >= 2) {
      Point beforeLast = new ArrayList<>(points).get(points.size() - 2);
      if (beforeLast.offset() == offset) {
        points.pollLast(); // extend the flat run to now
      }
    }
    points.addLast(new Point(offset, timeMs));
    while (points.size() > 2 && points.peekFirst().timeMs() < timeMs - windowMs) {
      points.pollFirst();
    }
  }

  public List<Point> points() {
    return List.copyOf(points);
  }

  /**
   * When the record at {@code offset} was appended, estimated: empty with fewer than two points, or
   * when the end offset did not move across the window and {@code offset} is before it.
   */
  public OptionalDouble appendTimeOf(long offset) {
    if (points.size() < 2) {
      return OptionalDouble.empty();
    }
    List<Point> p = new ArrayList<>(points);
    Point newest = p.get(p.size() - 1);
    if (offset >= newest.offset()) {
      return OptionalDouble.of(newest.timeMs());
    }
    Point oldest = p.get(0);
    if (offset < oldest.offset()) {
      if (newest.offset() == oldest.offset()) {
        return OptionalDouble.empty();
      }
      double msPerRecord =
          (double) (newest.timeMs() - oldest.timeMs()) / (newest.offset() - oldest.offset());
      return OptionalDouble.of(oldest.timeMs() - (oldest.offset() - offset) * msPerRecord);
    }
    for (int i = p.size() - 2; i >= 0; i--) {
      Point left = p.get(i);
      Point right = p.get(i + 1);
      if (left.offset() <= offset && offset < right.offset()) {
        double fraction = (double) (offset - left.offset()) / (right.offset() - left.offset());
        return OptionalDouble.of(left.timeMs() + fraction * (right.timeMs() - left.timeMs()));
      }
    }
    return OptionalDouble.empty(); // unreachable: the points are ordered and span offset
  }

  /**
   * kafka-lag-exporter's lag in seconds for a consumer at {@code committed}: now minus the
   * estimated append time of that offset; 0 when nothing is unconsumed.
   */
  public OptionalDouble estimatedLagSeconds(long committed, long endOffset, long nowMs) {
    if (committed >= endOffset) {
      return OptionalDouble.of(0);
    }
    OptionalDouble appended = appendTimeOf(committed);
    if (appended.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Math.max(0, nowMs - appended.getAsDouble()) / 1000.0);
  }

  /** Records appended per second across the window; 0 with fewer than two points. */
  public double ratePerSecond() {
    if (points.size() < 2) {
      return 0;
    }
    Point oldest = points.peekFirst();
    Point newest = points.peekLast();
    return (newest.offset() - oldest.offset()) * 1000.0 / (newest.timeMs() - oldest.timeMs());
  }
}
