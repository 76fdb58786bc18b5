package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** The quantity is within the instrument's minimum and maximum. */
public final class QuantityRangeRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.QUANTITY_OUT_OF_RANGE;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    var i = ctx.instrument();
    var q = ctx.order().getQuantity();
    return i != null
        && q != null
        && (q.compareTo(i.minQuantity()) < 0 || q.compareTo(i.maxQuantity()) > 0);
  }
}
