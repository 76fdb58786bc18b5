package io.rtx.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.common.HttpError;
import io.rtx.common.Json;
import io.rtx.schemas.Order;
import io.rtx.schemas.OrderType;
import io.rtx.schemas.Side;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderRequestTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private static Order parse(String json) {
    return Json.read(json.getBytes(StandardCharsets.UTF_8), OrderRequest.class).toOrder(NOW);
  }

  @Test
  void aLimitOrderInSnakeCaseWithDecimalStrings() {
    Order o =
        parse(
            """
            {"account_id":"ACC-0001","order_id":"C-42","symbol":"eurusd","side":"buy",
             "order_type":"LIMIT","quantity":"10000","limit_price":"1.08250"}""");
    assertThat(o.getOrderId()).isEqualTo("C-42");
    assertThat(o.getSymbol()).isEqualTo("EURUSD");
    assertThat(o.getSide()).isEqualTo(Side.BUY);
    assertThat(o.getOrderType()).isEqualTo(OrderType.LIMIT);
    assertThat(o.getQuantity()).isEqualByComparingTo("10000");
    assertThat(o.getLimitPrice().toPlainString()).isEqualTo("1.08250000");
    assertThat(o.getSubmittedAt()).isEqualTo(NOW);
  }

  @Test
  void withoutAnIdTheGatewayMakesOne() {
    Order o =
        parse(
            "{\"account_id\":\"A\",\"symbol\":\"EURUSD\",\"side\":\"SELL\",\"order_type\":\"MARKET\",\"quantity\":\"1000\"}");
    assertThat(o.getOrderId()).hasSize(36);
    assertThat(o.getLimitPrice()).isNull();
  }

  @Test
  void aMalformedRequestIsA400NamingTheField() {
    String[][] cases = {
      {
        "{\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"order_type\":\"MARKET\",\"quantity\":\"1\"}",
        "account_id is required"
      },
      {
        "{\"account_id\":\"A\",\"symbol\":\"EURUSD\",\"side\":\"HOLD\",\"order_type\":\"MARKET\",\"quantity\":\"1\"}",
        "side must be one of"
      },
      {
        "{\"account_id\":\"A\",\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"order_type\":\"MARKET\",\"quantity\":\"1e3\"}",
        "quantity must be a positive decimal string"
      },
      {
        "{\"account_id\":\"A\",\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"order_type\":\"MARKET\",\"quantity\":\"-1\"}",
        "quantity must be a positive decimal string"
      },
      {
        "{\"account_id\":\"A\",\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"order_type\":\"MARKET\",\"quantity\":\"1.123456789\"}",
        "at most 8 decimals"
      },
      {
        "{\"account_id\":\"A\",\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"order_type\":\"LIMIT\",\"quantity\":\"1\"}",
        "limit_price is required for a LIMIT order"
      },
      {
        "{\"account_id\":\"A\",\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"order_type\":\"MARKET\",\"quantity\":\"1\",\"limit_price\":\"1\"}",
        "not allowed for a MARKET one"
      },
      {
        "{\"account_id\":\"A B\",\"symbol\":\"EURUSD\",\"side\":\"BUY\",\"order_type\":\"MARKET\",\"quantity\":\"1\"}",
        "letters, digits"
      },
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> parse(c[0]))
          .as(c[0])
          .isInstanceOf(HttpError.class)
          .hasMessageContaining(c[1]);
    }
    assertThatThrownBy(() -> parse("{\"account_id\":\"A\",\"colour\":\"red\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown property \"colour\"");
  }
}
