package io.rtx.orders.risk;

import io.rtx.orders.AccountRef;
import io.rtx.orders.AccountState;
import io.rtx.orders.InstrumentRef;
import io.rtx.orders.Margin;
import io.rtx.schemas.Order;
import io.rtx.schemas.OrderType;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * What the pre-trade checks of one order see: the order, the account and instrument as the database
 * has them (null when unknown), the latest quote, the account's state, and what follows from them
 * (the margin the order needs and the account view, empty when they cannot be priced).
 */
public record RiskContext(
    Order order,
    AccountRef account,
    InstrumentRef instrument,
    Optional<Tick> quote,
    AccountState state,
    boolean duplicate,
    long now,
    Duration rateWindow,
    Optional<BigDecimal> requiredMargin,
    Optional<Margin.AccountView> view) {

  /** The same context with the margin the order would hold. */
  public RiskContext withRequiredMargin(Optional<BigDecimal> required) {
    return new RiskContext(
        order, account, instrument, quote, state, duplicate, now, rateWindow, required, view);
  }

  public boolean limit() {
    return order.getOrderType() == OrderType.LIMIT;
  }

  /** The price the order is judged at: its limit, or the touch for a market order. */
  public Optional<BigDecimal> price() {
    if (limit()) {
      return Optional.ofNullable(order.getLimitPrice());
    }
    return quote.map(q -> Margin.touch(q, order.getSide()));
  }
}
