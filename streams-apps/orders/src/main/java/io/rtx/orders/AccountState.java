package io.rtx.orders;

import io.rtx.schemas.Side;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the order path knows about one account, owned by the one task that holds the account's
 * partition and changed in order: cash confirmed by the ledger and cash booked but not yet seen
 * back, positions, open orders with their reserved margin, and the recent order times of the rate
 * limit. {@code version} grows with every change, so caches keep the newest.
 */
public final class AccountState {

  /** A position and what it has booked, in the account's currency. */
  public record PositionState(
      BigDecimal quantity,
      BigDecimal avgPrice,
      BigDecimal realizedPnl,
      BigDecimal fees,
      String lastExecutionId) {
    public static PositionState flat() {
      return new PositionState(
          BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, "");
    }

    public PositionMath.Holding holding() {
      return new PositionMath.Holding(quantity, avgPrice);
    }
  }

  public String accountId;

  /** The ledger's balance as seen back from PostgreSQL (Debezium). */
  public BigDecimal confirmedCash = BigDecimal.ZERO;

  /** LSN of the latest ledger change seen back. */
  public long lastLsn;

  /**
   * Sum and count of the entries booked by the order path and not yet seen back (the entries
   * themselves are in the {@code orders-inflight} store, so a backlog of the ledger does not grow
   * this record).
   */
  public BigDecimal inflightCash = BigDecimal.ZERO;

  public long inflightEntries;

  public Map<String, PositionState> positions = new TreeMap<>();

  /**
   * What the account's open orders hold, per symbol (the orders themselves are in the {@code
   * orders-open} store, so hundreds of resting orders do not grow this record).
   */
  public Map<String, Pending> pending = new TreeMap<>();

  /** Submission times (ms) of the orders inside the rate window. */
  public Deque<Long> recentOrders = new ArrayDeque<>();

  public long version;

  public AccountState() {}

  public AccountState(String accountId) {
    this.accountId = accountId;
  }

  /** Cash as risk sees it: each entry counted once, whether in flight or confirmed. */
  public BigDecimal cash() {
    return confirmedCash.add(inflightCash);
  }

  public BigDecimal reserved() {
    BigDecimal r = BigDecimal.ZERO;
    for (Pending p : pending.values()) {
      r = r.add(p.reserved());
    }
    return r;
  }

  public int openOrders() {
    int n = 0;
    for (Pending p : pending.values()) {
      n += p.orders();
    }
    return n;
  }

  /** Open orders' remaining quantity on {@code side} of {@code symbol}. */
  public BigDecimal pendingQuantity(String symbol, Side side) {
    Pending p = pending.get(symbol);
    return p == null ? BigDecimal.ZERO : side == Side.BUY ? p.buy() : p.sell();
  }

  /** Counts an open order in ({@code sign} 1) or out ({@code sign} -1) of the account's totals. */
  public void hold(OpenOrder o, int sign) {
    Pending p = pending.getOrDefault(o.symbol(), Pending.NONE);
    BigDecimal q = sign > 0 ? o.remaining() : o.remaining().negate();
    BigDecimal r = sign > 0 ? o.reserved() : o.reserved().negate();
    Pending next =
        new Pending(
            o.side() == Side.BUY ? p.buy().add(q) : p.buy(),
            o.side() == Side.SELL ? p.sell().add(q) : p.sell(),
            p.reserved().add(r),
            p.orders() + sign);
    if (next.orders() == 0) {
      pending.remove(o.symbol());
    } else {
      pending.put(o.symbol(), next);
    }
  }

  /** Open orders of one symbol: remaining quantities per side, margin held, how many. */
  public record Pending(BigDecimal buy, BigDecimal sell, BigDecimal reserved, int orders) {
    static final Pending NONE = new Pending(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0);
  }

  public PositionState position(String symbol) {
    return positions.getOrDefault(symbol, PositionState.flat());
  }
}
