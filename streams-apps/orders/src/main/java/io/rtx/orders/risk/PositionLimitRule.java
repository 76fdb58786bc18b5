package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/**
 * If it and every open order on the same side filled, the position would stay within the account's
 * maximum per symbol.
 */
public final class PositionLimitRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.POSITION_LIMIT;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    var a = ctx.account();
    var o = ctx.order();
    if (a == null || a.maxPositionQuantity() == null || o.getQuantity() == null) {
      return false;
    }
    java.math.BigDecimal exposure = ctx.state().position(o.getSymbol()).quantity();
    exposure =
        exposure.add(signed(o.getSide(), ctx.state().pendingQuantity(o.getSymbol(), o.getSide())));
    exposure = exposure.add(signed(o.getSide(), o.getQuantity()));
    return exposure.abs().compareTo(a.maxPositionQuantity()) > 0;
  }

  private static java.math.BigDecimal signed(io.rtx.schemas.Side side, java.math.BigDecimal q) {
    return side == io.rtx.schemas.Side.BUY ? q : q.negate();
  }
}
