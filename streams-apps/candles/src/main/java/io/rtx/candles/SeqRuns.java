package io.rtx.candles;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The tick seqs already counted in one window, kept as sorted, disjoint, non-touching runs [lo,
 * hi]: a feed's consecutive seqs collapse into one run, so the set stays a few longs however many
 * ticks a window has. Immutable.
 */
public final class SeqRuns {

  static final SeqRuns EMPTY = new SeqRuns(new long[0]);

  /** lo0, hi0, lo1, hi1, ... ascending; hi(i) + 1 < lo(i + 1). */
  private final long[] bounds;

  private SeqRuns(long[] bounds) {
    this.bounds = bounds;
  }

  /**
   * Rebuilds runs from {@link #bounds()}; rejects anything that is not sorted, disjoint and
   * non-touching.
   */
  static SeqRuns of(long[] bounds) {
    return owning(bounds.clone());
  }

  /** Reads {@code count} bounds as {@link #writeTo} wrote them. */
  static SeqRuns readFrom(ByteBuffer in, int count) {
    long[] bounds = new long[count];
    in.asLongBuffer().get(bounds);
    in.position(in.position() + 8 * count);
    return owning(bounds);
  }

  /** Writes {@link #bounds()}, big-endian. */
  void writeTo(ByteBuffer out) {
    out.asLongBuffer().put(bounds);
    out.position(out.position() + 8 * bounds.length);
  }

  private static SeqRuns owning(long[] bounds) {
    if (bounds.length % 2 != 0) {
      throw new IllegalArgumentException("run bounds come in pairs, got " + bounds.length);
    }
    for (int i = 0; i < bounds.length; i += 2) {
      if (bounds[i] > bounds[i + 1]
          || (i > 0 && (bounds[i - 1] >= bounds[i] || bounds[i - 1] + 1 == bounds[i]))) {
        throw new IllegalArgumentException(
            "runs are not sorted and disjoint: " + Arrays.toString(bounds));
      }
    }
    return bounds.length == 0 ? EMPTY : new SeqRuns(bounds);
  }

  public boolean contains(long seq) {
    int i = runsStartingAtOrBefore(seq);
    return i > 0 && bounds[2 * i - 1] >= seq;
  }

  /** These runs plus {@code seq}, joining the neighbouring runs it touches. */
  public SeqRuns with(long seq) {
    if (contains(seq)) {
      return this;
    }
    int n = runCount();
    int i = runsStartingAtOrBefore(seq); // run i-1 lies left of seq, run i right of it
    boolean joinsLeft = i > 0 && bounds[2 * i - 1] == seq - 1;
    boolean joinsRight = i < n && bounds[2 * i] == seq + 1;
    long[] next;
    if (joinsLeft && joinsRight) {
      next = new long[2 * n - 2];
      System.arraycopy(bounds, 0, next, 0, 2 * i);
      next[2 * i - 1] = bounds[2 * i + 1];
      System.arraycopy(bounds, 2 * i + 2, next, 2 * i, 2 * n - 2 * i - 2);
    } else if (joinsLeft) {
      next = bounds.clone();
      next[2 * i - 1] = seq;
    } else if (joinsRight) {
      next = bounds.clone();
      next[2 * i] = seq;
    } else {
      next = new long[2 * n + 2];
      System.arraycopy(bounds, 0, next, 0, 2 * i);
      next[2 * i] = seq;
      next[2 * i + 1] = seq;
      System.arraycopy(bounds, 2 * i, next, 2 * i + 2, 2 * n - 2 * i);
    }
    return new SeqRuns(next);
  }

  public int runCount() {
    return bounds.length / 2;
  }

  public boolean isEmpty() {
    return bounds.length == 0;
  }

  /** A copy of lo0, hi0, lo1, hi1, ... */
  public long[] bounds() {
    return bounds.clone();
  }

  private int runsStartingAtOrBefore(long seq) {
    int lo = 0;
    int hi = runCount();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (bounds[2 * mid] <= seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeqRuns other && Arrays.equals(bounds, other.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < bounds.length; i += 2) {
      sb.append(i == 0 ? "" : ", ").append(bounds[i]);
      if (bounds[i + 1] != bounds[i]) {
        sb.append("..").append(bounds[i + 1]);
      }
    }
    return sb.append(']').toString();
  }
}
