package io.rtx.orders.risk;

import io.rtx.schemas.RejectReason;

/**
 * One pre-trade check with its own reject reason. A check whose inputs are missing (an unknown
 * account, no quote) passes: the missing input has a check of its own, so a decision lists each
 * cause once.
 */
public interface RiskRule {

  RejectReason reason();

  boolean fails(RiskContext ctx);
}
