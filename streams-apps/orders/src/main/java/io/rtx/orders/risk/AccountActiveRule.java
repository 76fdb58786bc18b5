package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** The account is an ACTIVE client account (not SUSPENDED, CLOSED, or a house account). */
public final class AccountActiveRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.ACCOUNT_INACTIVE;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    return ctx.account() != null && !ctx.account().activeClient();
  }
}
