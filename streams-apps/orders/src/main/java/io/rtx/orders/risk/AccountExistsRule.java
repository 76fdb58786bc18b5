package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/** The account exists in the system of record. */
public final class AccountExistsRule implements RiskRule {

  @Override
  public RejectReason reason() {
    return RejectReason.UNKNOWN_ACCOUNT;
  }

  @Override
  public boolean fails(RiskContext ctx) {
    return ctx.account() == null;
  }
}
