package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** The quantity is within the account's maximum order size. */
public final class OrderSizeLimitRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.ORDER_SIZE_LIMIT;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    var a = ctx.account();
    var q = ctx.order().getQuantity();
    return a != null
        && a.maxOrderQuantity() != null
        && q != null
        && q.compareTo(a.maxOrderQuantity()) > 0;
  }
}
