package io.rtx.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One order as the simulator sends it to {@code POST /orders}: the fields of the gateway's JSON
 * (decimals as strings, exactly as written here) and the {@link OrderFlow.Kind} it was meant to be.
 *
 * @param orderId the client's order id; {@code null} lets the gateway make one
 * @param limitPrice {@code null} for a market order (and for the limit order missing its price)
 */
public record OrderRequest(
    String accountId,
    String orderId,
    String symbol,
    String side,
    String orderType,
    String quantity,
    String limitPrice,
    OrderFlow.Kind kind) {

  /** The request body's fields in the gateway's snake_case, absent ones left out. */
  public Map<String, String> body() {
    Map<String, String> b = new LinkedHashMap<>();
    b.put("account_id", accountId);
    if (orderId != null) {
      b.put("order_id", orderId);
    }
    b.put("symbol", symbol);
    b.put("side", side);
    b.put("order_type", orderType);
    b.put("quantity", quantity);
    if (limitPrice != null) {
      b.put("limit_price", limitPrice);
    }
    return b;
  }

  OrderRequest as(OrderFlow.Kind k) {
    return new OrderRequest(accountId, orderId, symbol, side, orderType, quantity, limitPrice, k);
  }

  OrderRequest withSymbol(String s) {
    return new OrderRequest(accountId, orderId, s, side, orderType, quantity, limitPrice, kind);
  }

  OrderRequest withAccount(String a) {
    return new OrderRequest(a, orderId, symbol, side, orderType, quantity, limitPrice, kind);
  }

  OrderRequest withQuantity(String q) {
    return new OrderRequest(accountId, orderId, symbol, side, orderType, q, limitPrice, kind);
  }

  /** The same order as a limit order at {@code price} ({@code null}: without a price). */
  OrderRequest asLimit(String price) {
    return new OrderRequest(accountId, orderId, symbol, side, "LIMIT", quantity, price, kind);
  }
}
