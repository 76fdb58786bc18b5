package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** A limit price is within the instrument's band (percent) around the quote's mid (fat finger). */
public final class PriceBandRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.PRICE_BAND;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    var i = ctx.instrument();
    var p = ctx.order().getLimitPrice();
    if (i == null || !ctx.limit() || p == null || p.signum() <= 0 || ctx.quote().isEmpty()) {
      return false;
    }
    java.math.BigDecimal mid = io.rtx.orders.Prices.mid(ctx.quote().get());
    java.math.BigDecimal allowed =
        mid.multiply(i.priceBandPct()).divide(java.math.BigDecimal.valueOf(100));
    return p.subtract(mid).abs().compareTo(allowed) > 0;
  }
}
