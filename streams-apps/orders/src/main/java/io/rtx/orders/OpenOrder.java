package io.rtx.orders;

import io.rtx.schemas.OrderType;
import io.rtx.schemas.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An accepted order not yet done: what is left to fill and the margin still held for it, in the
 * account's currency.
 */
public record OpenOrder(
    String orderId,
    String symbol,
    Side side,
    OrderType type,
    BigDecimal quantity,
    BigDecimal remaining,
    BigDecimal limitPrice,
    BigDecimal reserved,
    long decidedAt) {

  /** After a fill of {@code filled}: the remainder, and the margin held for it in proportion. */
  public OpenOrder afterFill(BigDecimal filled) {
    BigDecimal left = remaining.subtract(filled).max(BigDecimal.ZERO);
    BigDecimal held =
        left.signum() == 0
            ? BigDecimal.ZERO
            : reserved.multiply(left).divide(remaining, 8, RoundingMode.HALF_EVEN);
    return new OpenOrder(orderId, symbol, side, type, quantity, left, limitPrice, held, decidedAt);
  }

  public boolean done() {
    return remaining.signum() == 0;
  }
}
