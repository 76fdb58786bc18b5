package io.rtx.tools;

import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic tick feed: a Gaussian random walk in whole ticks per instrument, a spread of at
 * least the instrument's, occasional trades, and the feed faults we must survive: ticks delivered
 * out of order (held back behind up to 5 later ticks) and redelivered (an exact copy of a recent
 * tick). Same seed, same feed.
 */
public final class MarketGenerator {

  private static final int HOLD_MAX = 5;
  private static final int RECENT = 64;
  private static final BigDecimal[] LOTS = {
    new BigDecimal("1000.00000000"),
    new BigDecimal("10000.00000000"),
    new BigDecimal("100000.00000000"),
    new BigDecimal("250000.00000000"),
    new BigDecimal("1000000.00000000")
  };

  private final List<Instrument> instruments;
  private final long[] mid;
  private final long[] seq;
  private final SplittableRandom random;
  private final double outOfOrder;
  private final double duplicates;
  private final String venue;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private final ArrayDeque<Tick> recent = new ArrayDeque<>(RECENT);
  private final ArrayDeque<Tick> ready = new ArrayDeque<>();
  private long generated;
  private long duplicated;
  private long reordered;

  private record Held(Tick tick, int releaseAfter) {}

  /**
   * @param firstSeq the seq of each symbol's first tick; a feed's seqs keep growing across
   *     sessions, so the command line starts from the clock (microseconds) and tests from 1
   */
  public MarketGenerator(
      List<Instrument> instruments,
      long seed,
      double outOfOrder,
      double duplicates,
      String venue,
      long firstSeq) {
    if (instruments.isEmpty()) {
      throw new IllegalArgumentException("at least one instrument is needed");
    }
    if (outOfOrder < 0 || outOfOrder >= 1 || duplicates < 0 || duplicates >= 1) {
      throw new IllegalArgumentException("--out-of-order and --duplicates are fractions in [0, 1)");
    }
    this.instruments = List.copyOf(instruments);
    this.mid = instruments.stream().mapToLong(Instrument::startTicks).toArray();
    this.seq = new long[instruments.size()];
    java.util.Arrays.fill(seq, firstSeq - 1);
    this.random = new SplittableRandom(seed);
    this.outOfOrder = outOfOrder;
    this.duplicates = duplicates;
    this.venue = venue;
  }

  /** The next tick to send; {@code now} is the event time of a newly generated tick. */
  public Tick next(Instant now) {
    while (ready.isEmpty()) {
      generate(now);
    }
    return ready.poll();
  }

  private void generate(Instant now) {
    int i = random.nextInt(instruments.size());
    Instrument ins = instruments.get(i);
    mid[i] =
        Math.max(
            ins.spreadTicks() * 10L,
            mid[i] + Math.round(random.nextGaussian() * ins.volatilityTicks()));
    int spread =
        ins.spreadTicks() + (random.nextInt(4) == 0 ? random.nextInt(ins.spreadTicks() + 1) : 0);
    long bid = mid[i] - spread / 2;
    Tick.Builder b =
        Tick.newBuilder()
            .setSymbol(ins.symbol())
            .setSeq(++seq[i])
            .setTs(now)
            .setBid(ins.price(bid))
            .setAsk(ins.price(bid + spread))
            .setBidSize(LOTS[random.nextInt(LOTS.length)])
            .setAskSize(LOTS[random.nextInt(LOTS.length)])
            .setLastPrice(null)
            .setLastSize(null)
            .setVenue(venue);
    if (random.nextInt(3) == 0) { // a trade at the touch
      b.setLastPrice(ins.price(random.nextBoolean() ? bid : bid + spread))
          .setLastSize(LOTS[random.nextInt(3)]);
    }
    Tick tick = b.build();
    generated++;

    releaseHeld();
    if (random.nextDouble() < outOfOrder) {
      held.add(new Held(tick, 1 + random.nextInt(HOLD_MAX)));
      reordered++;
    } else {
      emit(tick);
    }
    if (!recent.isEmpty() && random.nextDouble() < duplicates) {
      List<Tick> r = new ArrayList<>(recent);
      ready.add(r.get(random.nextInt(r.size())));
      duplicated++;
    }
  }

  private void releaseHeld() {
    int n = held.size();
    for (int k = 0; k < n; k++) {
      Held h = held.poll();
      if (h.releaseAfter() <= 1) {
        emit(h.tick());
      } else {
        held.add(new Held(h.tick(), h.releaseAfter() - 1));
      }
    }
  }

  private void emit(Tick tick) {
    ready.add(tick);
    if (recent.size() == RECENT) {
      recent.poll();
    }
    recent.add(tick);
  }

  /** Ticks still held back for reordering; sending them last keeps the feed complete. */
  public List<Tick> drain() {
    List<Tick> rest = new ArrayList<>(ready);
    held.forEach(h -> rest.add(h.tick()));
    ready.clear();
    held.clear();
    return rest;
  }

  public long generated() {
    return generated;
  }

  public long duplicated() {
    return duplicated;
  }

  public long reordered() {
    return reordered;
  }

  public List<Instrument> instruments() {
    return instruments;
  }
}
