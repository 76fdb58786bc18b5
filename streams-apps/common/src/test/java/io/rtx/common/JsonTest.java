package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

  record Fill(String orderId, BigDecimal price, Instant filledAt, long lotCount) {}

  record Book(String symbol, List<Fill> fills) {}

  @Test
  void escapesQuotesBackslashesAndControlCharactersLeavesTheRest() {
    assertThat(Json.string("A\"B\\C\n\t" + (char) 1 + "é/"))
        .isEqualTo("\"A\\\"B\\\\C\\u000a\\u0009\\u0001é/\"");
  }

  @Test
  void writesSnakeCasePlainDecimalStringsAndIsoInstants() {
    Fill fill =
        new Fill("o-1", new BigDecimal("1.08250000"), Instant.parse("2026-11-26T10:00:00.125Z"), 3);

    assertThat(Json.write(fill))
        .isEqualTo(
            "{\"order_id\":\"o-1\",\"price\":\"1.08250000\","
                + "\"filled_at\":\"2026-11-26T10:00:00.125Z\",\"lot_count\":3}");
    // never an exponent, whatever the scale
    assertThat(Json.write(new BigDecimal("1E+3"))).isEqualTo("\"1000\"");
    assertThat(Json.write(new BigDecimal("0.00000001"))).isEqualTo("\"0.00000001\"");
  }

  @Test
  void readsWhatItWrites() {
    Fill fill =
        new Fill("o-1", new BigDecimal("20000.5"), Instant.parse("2026-11-26T10:00:00Z"), 1);

    assertThat(Json.read(Json.bytes(fill), Fill.class)).isEqualTo(fill);
  }

  @Test
  void refusesUnknownPropertiesBadValuesAndTrailingContentSayingWhere() {
    assertThatThrownBy(() -> read("{\"order_id\":\"o-1\",\"lot_count\":1,\"qty\":1}", Fill.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid JSON: qty: unknown property \"qty\"");
    assertThatThrownBy(() -> read("{\"order_id\":\"o-1\"}", Fill.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid JSON: lot_count: Cannot map `null` into type `long`");
    assertThatThrownBy(
            () -> read("{\"symbol\":\"EURUSD\",\"fills\":[{\"price\":\"cheap\"}]}", Book.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid JSON: fills.[0].price: ");
    assertThatThrownBy(() -> read("{\"order_id\":\"o-1\"} {}", Fill.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> read("{\"order_id\":\"o-1\",\"order_id\":\"o-2\"}", Fill.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> read("{\"order_id\":", Fill.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid JSON: ");
    assertThatThrownBy(() -> read("", Fill.class)).isInstanceOf(IllegalArgumentException.class);
  }

  private static <T> T read(String json, Class<T> type) {
    return Json.read(json.getBytes(StandardCharsets.UTF_8), type);
  }
}
