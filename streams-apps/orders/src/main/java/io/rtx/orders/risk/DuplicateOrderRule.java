package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** The order id has not been seen for this account (within orders.history). */
public final class DuplicateOrderRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.DUPLICATE_ORDER;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    return ctx.duplicate();
  }
}
