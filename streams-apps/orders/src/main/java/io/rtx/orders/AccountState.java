package io.rtx.orders;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
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
  public Map<String, OpenOrder> openOrders = new LinkedHashMap<>();

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
    for (OpenOrder o : openOrders.values()) {
      r = r.add(o.reserved());
    }
    return r;
  }

  public PositionState position(String symbol) {
    return positions.getOrDefault(symbol, PositionState.flat());
  }
}
