package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** The quantity is a whole number of lots. */
public final class LotSizeRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.LOT_SIZE;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    var i = ctx.instrument();
    var q = ctx.order().getQuantity();
    return i != null && q != null && q.signum() > 0 && q.remainder(i.lotSize()).signum() != 0;
  }
}
