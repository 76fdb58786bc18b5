package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** There is a quote to price the order, its margin and the account's positions with. */
public final class MarketDataRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.NO_MARKET_DATA;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    if (ctx.instrument() == null || ctx.account() == null) {
      return false;
    }
    return ctx.quote().isEmpty()
        || ctx.requiredMargin().isEmpty()
        || ctx.view().map(v -> !v.complete()).orElse(true);
  }
}
