package io.rtx.candles;

import io.rtx.schemas.Candle;
import io.rtx.schemas.Decimals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The state of one symbol's candle over one window while it is built, as kept in the window stores.
 * Pure arithmetic, immutable: every update returns a new value.
 *
 * <p>OPEN is the price of the tick with the smallest (ts, seq), CLOSE the one with the largest —
 * event time, then seq; arrival order never matters. A tick whose seq was already counted in this
 * window is a redelivery and changes nothing, even if its prices differ: the first arrival of a seq
 * is the one counted. The seqs are kept in bounded {@link SeqRuns}, which never count a seq twice
 * but take a new one for a redelivery when it arrives after {@link SeqRuns#MAX_RUNS} or more
 * separate runs of larger seqs of its window were counted.
 *
 * @param openAt event time (ms) of the open tick; {@code openSeq} its seq
 * @param closeAt event time (ms) of the close tick; {@code closeSeq} its seq
 * @param volume sum of last_size (absent counts 0)
 * @param tickCount distinct ticks counted
 * @param seqs seqs counted (base interval only; empty for derived intervals)
 */
public record OpenCandle(
    BigDecimal open,
    long openAt,
    long openSeq,
    BigDecimal high,
    BigDecimal low,
    BigDecimal close,
    long closeAt,
    long closeSeq,
    BigDecimal volume,
    long tickCount,
    SeqRuns seqs) {

  private static final OpenCandle EMPTY =
      new OpenCandle(null, 0, 0, null, null, null, 0, 0, Decimals.zero(), 0, SeqRuns.EMPTY);

  public OpenCandle {
    Objects.requireNonNull(volume, "volume");
    Objects.requireNonNull(seqs, "seqs");
    if (tickCount < 0
        || (tickCount > 0 && (open == null || high == null || low == null || close == null))) {
      throw new IllegalArgumentException("a candle with ticks needs open, high, low and close");
    }
  }

  /** The state of a window before its first tick. */
  public static OpenCandle empty() {
    return EMPTY;
  }

  public boolean isEmpty() {
    return tickCount == 0;
  }

  /**
   * Counts one tick.
   *
   * @param price the tick's price on the configured basis, never null
   * @param size the tick's last_size, or null for none
   */
  public OpenCandle add(long ts, long seq, BigDecimal price, BigDecimal size) {
    Objects.requireNonNull(price, "price");
    if (seqs.contains(seq)) {
      return this;
    }
    BigDecimal nextVolume = size == null ? volume : volume.add(size);
    SeqRuns nextSeqs = seqs.with(seq);
    if (isEmpty()) {
      return new OpenCandle(price, ts, seq, price, price, price, ts, seq, nextVolume, 1, nextSeqs);
    }
    boolean opens = ts < openAt || (ts == openAt && seq < openSeq);
    boolean closes = ts > closeAt || (ts == closeAt && seq > closeSeq);
    return new OpenCandle(
        opens ? price : open,
        opens ? ts : openAt,
        opens ? seq : openSeq,
        high.max(price),
        low.min(price),
        closes ? price : close,
        closes ? ts : closeAt,
        closes ? seq : closeSeq,
        nextVolume,
        tickCount + 1,
        nextSeqs);
  }

  /**
   * Folds in the closed candle of a smaller window of the same symbol: open of the earliest, close
   * of the latest, max high, min low, summed volume and counts. Closed windows of one symbol arrive
   * in time order, so one that does not start after the latest close already merged is a replay
   * (at-least-once redelivery) and changes nothing.
   */
  public OpenCandle merge(OpenCandle smaller) {
    if (smaller.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return new OpenCandle(
          smaller.open,
          smaller.openAt,
          smaller.openSeq,
          smaller.high,
          smaller.low,
          smaller.close,
          smaller.closeAt,
          smaller.closeSeq,
          smaller.volume,
          smaller.tickCount,
          SeqRuns.EMPTY);
    }
    if (smaller.openAt <= closeAt) {
      return this;
    }
    return new OpenCandle(
        open,
        openAt,
        openSeq,
        high.max(smaller.high),
        low.min(smaller.low),
        smaller.close,
        smaller.closeAt,
        smaller.closeSeq,
        volume.add(smaller.volume),
        tickCount + smaller.tickCount,
        SeqRuns.EMPTY);
  }

  /** This window as a {@link Candle}; decimals at the schema's scale 8. */
  public Candle toCandle(String symbol, String interval, Instant bucketStart, boolean isFinal) {
    if (isEmpty()) {
      throw new IllegalStateException("an empty window has no candle");
    }
    return Candle.newBuilder()
        .setSymbol(symbol)
        .setInterval(interval)
        .setBucketStart(bucketStart)
        .setOpen(Decimals.of(open))
        .setHigh(Decimals.of(high))
        .setLow(Decimals.of(low))
        .setClose(Decimals.of(close))
        .setVolume(Decimals.of(volume))
        .setTickCount(tickCount)
        .setIsFinal(isFinal)
        .build();
  }
}
