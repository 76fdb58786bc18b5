package io.rtx.orders;

import io.rtx.schemas.OrderType;
import io.rtx.schemas.Side;
import java.math.BigDecimal;
import java.util.List;

/**
 * An order as {@code GET /orders/{id}} shows it: what was asked, what was decided, and how much has
 * been filled. {@code status}: ACCEPTED, REJECTED, PARTIALLY_FILLED, FILLED or CANCELLED.
 */
public record OrderRecord(
    String orderId,
    String accountId,
    String symbol,
    Side side,
    OrderType orderType,
    BigDecimal quantity,
    BigDecimal limitPrice,
    long submittedAt,
    String status,
    List<String> reasons,
    BigDecimal reservedMargin,
    BigDecimal freeMarginAfter,
    long decidedAt,
    BigDecimal filledQuantity) {

  public OrderRecord withFill(BigDecimal quantity) {
    BigDecimal filled = filledQuantity.add(quantity);
    return with(filled.compareTo(this.quantity) >= 0 ? "FILLED" : "PARTIALLY_FILLED", filled);
  }

  public OrderRecord withStatus(String status) {
    return with(status, filledQuantity);
  }

  private OrderRecord with(String status, BigDecimal filled) {
    return new OrderRecord(
        orderId,
        accountId,
        symbol,
        side,
        orderType,
        quantity,
        limitPrice,
        submittedAt,
        status,
        reasons,
        reservedMargin,
        freeMarginAfter,
        decidedAt,
        filled);
  }
}
