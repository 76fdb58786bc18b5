package io.rtx.candles;

import static io.rtx.candles.Ticks.quote;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.schemas.Decimals;
import io.rtx.schemas.Tick;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PriceBasisTest {

  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

  private static Tick tick(String bid, String ask, String last) {
    return quote("EURUSD", 1, T, bid)
        .setAsk(Decimals.of(ask))
        .setLastPrice(last == null ? null : Decimals.of(last))
        .build();
  }

  @Test
  void bidIsTheBid() {
    assertThat(PriceBasis.BID.priceOf(tick("1.10000000", "1.10020000", null)))
        .isEqualTo(Decimals.of("1.1"));
  }

  @Test
  void midIsHalfwayAtScale8RoundedHalfEven() {
    assertThat(PriceBasis.MID.priceOf(tick("1.10000000", "1.10020000", null)))
        .isEqualTo(Decimals.of("1.1001"));
    // x.xxxxxxxx5 rounds to the even neighbour: up from an odd last digit, down from an even one
    assertThat(PriceBasis.MID.priceOf(tick("1.00000001", "1.00000002", null)))
        .isEqualTo(Decimals.of("1.00000002"));
    assertThat(PriceBasis.MID.priceOf(tick("1.00000002", "1.00000003", null)))
        .isEqualTo(Decimals.of("1.00000002"));
    assertThat(PriceBasis.MID.priceOf(tick("1.00000002", "1.00000003", null)).scale()).isEqualTo(8);
  }

  @Test
  void lastIsTheTradePriceOrNothing() {
    assertThat(PriceBasis.LAST.priceOf(tick("1.1", "1.2", "1.15"))).isEqualTo(Decimals.of("1.15"));
    assertThat(PriceBasis.LAST.priceOf(tick("1.1", "1.2", null))).isNull();
  }
}
