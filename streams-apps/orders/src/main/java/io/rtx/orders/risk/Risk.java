package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;
import java.util.ArrayList;
import java.util.List;

/** Every pre-trade check, in the order a decision lists their reasons. */
public final class Risk {

  public static final List<RiskRule> RULES =
      List.of(
          new ValidOrderRule(),
          new DuplicateOrderRule(),
          new AccountExistsRule(),
          new AccountActiveRule(),
          new InstrumentExistsRule(),
          new InstrumentTradingRule(),
          new QuantityRangeRule(),
          new LotSizeRule(),
          new TickSizeRule(),
          new MarketDataRule(),
          new PriceBandRule(),
          new OrderSizeLimitRule(),
          new PositionLimitRule(),
          new RateLimitRule(),
          new MarginRule());

  private Risk() {}

  /** The reasons of every check the order fails; empty: accepted. */
  public static List<RejectReason> check(RiskContext ctx) {
    List<RejectReason> reasons = new ArrayList<>();
    for (RiskRule rule : RULES) {
      if (rule.fails(ctx)) {
        reasons.add(rule.reason());
      }
    }
    return reasons;
  }
}
