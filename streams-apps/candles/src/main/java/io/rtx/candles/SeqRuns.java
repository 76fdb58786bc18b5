package io.rtx.candles;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The tick seqs already counted in one window, kept as sorted, disjoint, non-touching runs [lo,
 * hi], at most {@link #MAX_RUNS} of them. Immutable.
 *
 * <p>A feed's consecutive seqs collapse into one run, so such a window costs a few longs however
 * many ticks it has. A feed whose seqs skip (venue-wide sequence numbers) makes one run per tick,
 * so the runs are capped: when a new seq would make one run too many, the lowest gap is filled —
 * the two lowest runs join, and the seqs between them count as already seen. Runs only ever grow,
 * so a seq once counted is recognised for the rest of the window and a redelivery is never counted
 * twice, whatever the pattern. What the cap costs is the opposite mistake, and only beyond it: a
 * tick whose seq was never counted is taken for a redelivery when it arrives after {@code MAX_RUNS}
 * separate runs of larger seqs (at least as many ticks) were counted in its window; a seq below
 * everything counted is always new.
 *
 * <p>Why a cap rather than an exact set: Kafka Streams reads the window's value from its store and
 * writes it back, serialized, on every tick (to the store, the record cache, the suppression
 * buffer, and eventually their changelogs), so the size of the serialized value is the cost of a
 * tick. An exact set of a gappy window grows with every tick — quadratic work per window, and past
 * Kafka's 1 MiB record limit at about 65,000 ticks — and no in-place structure avoids that
 * round-trip. Capped, the value is at most {@link #MAX_BYTES} of seqs and a tick costs a bounded
 * amount of copying (a binary search and an array copy or two here, bulk copies in {@link
 * OpenCandleSerde}) whatever its window holds. A bitmap above a high-water mark would be smaller
 * per seq, but it covers a range of seqs, not of ticks: with venue-wide seqs a symbol's ticks are
 * thousands of seqs apart, so it would hold a handful of them. Runs cover ticks, and stay exact and
 * tiny for consecutive feeds.
 */
public final class SeqRuns {

  /**
   * Runs kept per window. A gappy feed may then run a thousand ticks out of seq order (a producer
   * that retries whole batches with several requests in flight) and still have every tick counted,
   * in 16 KiB of state, 1/64 of Kafka's default record limit; a tick at the cap costs a few
   * microseconds of copying.
   */
  public static final int MAX_RUNS = 1024;

  /** The most the runs take serialized: two longs per run. */
  public static final int MAX_BYTES = 16 * MAX_RUNS;

  static final SeqRuns EMPTY = new SeqRuns(new long[0]);

  /** lo0, hi0, lo1, hi1, ... ascending; hi(i) + 1 < lo(i + 1); at most MAX_RUNS pairs. */
  private final long[] bounds;

  private SeqRuns(long[] bounds) {
    this.bounds = bounds;
  }

  /**
   * Rebuilds runs from {@link #bounds()}; rejects anything that is not sorted, disjoint and
   * non-touching. More than {@link #MAX_RUNS} runs (state written before the cap) are joined from
   * the lowest, as {@link #with} would have.
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
    return bounds.length == 0 ? EMPTY : new SeqRuns(capped(bounds));
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
    return new SeqRuns(capped(next));
  }

  /** At most MAX_RUNS runs: the lowest ones, and the gaps between them, joined into one. */
  private static long[] capped(long[] bounds) {
    int excess = bounds.length / 2 - MAX_RUNS;
    if (excess <= 0) {
      return bounds;
    }
    long[] kept = new long[2 * MAX_RUNS];
    kept[0] = bounds[0];
    System.arraycopy(bounds, 2 * excess + 1, kept, 1, kept.length - 1);
    return kept;
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
