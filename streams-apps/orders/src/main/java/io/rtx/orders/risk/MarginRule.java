package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** The margin the order needs fits the account's free margin. */
public final class MarginRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.INSUFFICIENT_MARGIN;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    if (ctx.requiredMargin().isEmpty() || ctx.view().isEmpty() || !ctx.view().get().complete()) {
      return false;
    }
    return ctx.requiredMargin().get().compareTo(ctx.view().get().freeMargin()) > 0;
  }
}
