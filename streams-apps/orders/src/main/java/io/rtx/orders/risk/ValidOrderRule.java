package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/**
 * The order is well formed: ids and symbol given, a positive quantity, a positive limit price on a
 * limit order and none on a market order.
 */
public final class ValidOrderRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.INVALID_ORDER;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    var o = ctx.order();
    boolean blank =
        o.getOrderId().isBlank() || o.getAccountId().isBlank() || o.getSymbol().isBlank();
    boolean quantity = o.getQuantity() == null || o.getQuantity().signum() <= 0;
    boolean price =
        ctx.limit()
            ? o.getLimitPrice() == null || o.getLimitPrice().signum() <= 0
            : o.getLimitPrice() != null;
    return blank || quantity || price;
  }
}
