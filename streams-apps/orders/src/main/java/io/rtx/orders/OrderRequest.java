package io.rtx.orders;

import io.rtx.common.HttpError;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.Order;
import io.rtx.schemas.OrderType;
import io.rtx.schemas.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /orders}: snake_case JSON, decimals as strings. {@code order_id} is the
 * client's id (a resubmission with the same id is a duplicate); without one the gateway makes one.
 */
public record OrderRequest(
    String accountId,
    String orderId,
    String symbol,
    String side,
    String orderType,
    String quantity,
    String limitPrice) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,63}");
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,12}(\\.[0-9]{1,8})?");

  /** The order this request asks for; a 400 naming the field when it is not well formed. */
  public Order toOrder(Instant now) {
    String id = orderId == null ? UUID.randomUUID().toString() : orderId;
    require("account_id", accountId);
    require("symbol", symbol);
    if (!ID.matcher(accountId).matches() || !ID.matcher(id).matches()) {
      throw new HttpError(400, "account_id and order_id are letters, digits and :._- (at most 64)");
    }
    OrderType type = parse(OrderType.class, "order_type", orderType);
    BigDecimal limit = limitPrice == null ? null : decimal("limit_price", limitPrice);
    if ((type == OrderType.LIMIT) != (limit != null)) {
      throw new HttpError(
          400, "limit_price is required for a LIMIT order and not allowed for a MARKET one");
    }
    return Order.newBuilder()
        .setOrderId(id)
        .setAccountId(accountId)
        .setSymbol(symbol.toUpperCase(Locale.ROOT))
        .setSide(parse(Side.class, "side", side))
        .setOrderType(type)
        .setQuantity(decimal("quantity", quantity))
        .setLimitPrice(limit)
        .setSubmittedAt(now)
        .build();
  }

  private static void require(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new HttpError(400, field + " is required");
    }
  }

  private static BigDecimal decimal(String field, String value) {
    require(field, value);
    if (!DECIMAL.matcher(value).matches()) {
      throw new HttpError(
          400,
          field
              + " must be a positive decimal string like \"1000\" or \"1.08250\" (at most 8 decimals), got \""
              + value
              + "\"");
    }
    return Decimals.of(new BigDecimal(value));
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
    require(field, value);
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpError(
          400,
          field
              + " must be one of "
              + java.util.Arrays.toString(type.getEnumConstants())
              + ", got \""
              + value
              + "\"");
    }
  }
}
