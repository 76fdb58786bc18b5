package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** The instrument exists. */
public final class InstrumentExistsRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.UNKNOWN_SYMBOL;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    return ctx.instrument() == null;
  }
}
