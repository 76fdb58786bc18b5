package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** The instrument is TRADING (not HALTED or CLOSED). */
public final class InstrumentTradingRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.INSTRUMENT_NOT_TRADING;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    return ctx.instrument() != null && !ctx.instrument().trading();
  }
}
