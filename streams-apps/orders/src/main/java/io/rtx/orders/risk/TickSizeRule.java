package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** A limit price lies on the instrument's tick grid. */
public final class TickSizeRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.TICK_SIZE;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    var i = ctx.instrument();
    var p = ctx.order().getLimitPrice();
    return i != null
        && ctx.limit()
        && p != null
        && p.signum() > 0
        && p.remainder(i.tickSize()).signum() != 0;
  }
}
