package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/**
 * The account has not sent more orders in the rate window than its maximum per second allows (this
 * one included).
 */
public final class RateLimitRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.RATE_LIMIT;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    var a = ctx.account();
    if (a == null || a.maxOrdersPerSecond() == null) {
      return false;
    }
    long from = ctx.now() - ctx.rateWindow().toMillis();
    long inWindow = ctx.state().recentOrders.stream().filter(t -> t > from).count() + 1;
    double allowed = a.maxOrdersPerSecond() * (ctx.rateWindow().toMillis() / 1000.0);
    return inWindow > allowed;
  }
}
