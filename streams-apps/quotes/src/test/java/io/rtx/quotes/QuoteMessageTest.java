package io.rtx.quotes;

import static io.rtx.quotes.Ticks.tick;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuoteMessageTest {

  @Test
  void writesExactDecimalStringsAndEpochMillis() {
    assertThat(QuoteMessage.json(tick("EURUSD", 42, "1.0845", "1.0846")))
        .isEqualTo(
            "{\"symbol\":\"EURUSD\",\"bid\":\"1.08450000\",\"ask\":\"1.08460000\",\"ts\":"
                + Ticks.T0.plusMillis(42).toEpochMilli()
                + ",\"seq\":42}");
  }

  @Test
  void addsSizesWhenTheTickHasThem() {
    assertThat(QuoteMessage.json(Ticks.withSizes(tick("EURUSD", 1, "1", "2"), "1000000", "0.5")))
        .endsWith(",\"seq\":1,\"bid_size\":\"1000000.00000000\",\"ask_size\":\"0.50000000\"}");
  }

  @Test
  void escapesTheSymbol() {
    assertThat(QuoteMessage.json(tick("A\"B\\C\n", 1, "1", "2")))
        .startsWith("{\"symbol\":\"A\\\"B\\\\C\\u000a\",");
  }
}
