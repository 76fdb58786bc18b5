package io.rtx.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.orders.PositionMath.Holding;
import io.rtx.orders.PositionMath.Result;
import io.rtx.schemas.Side;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The average-cost method, worked through the cases the README shows. */
class PositionMathTest {

  private static final BigDecimal ONE = BigDecimal.ONE;

  private static BigDecimal d(String v) {
    return new BigDecimal(v);
  }

  private static Result fill(Holding h, Side side, String qty, String price) {
    return PositionMath.fill(h, side, d(qty), d(price), ONE);
  }

  @Test
  void opensFromFlat() {
    Result r = fill(Holding.FLAT, Side.BUY, "1000", "1.10000");
    assertThat(r.holding().quantity()).isEqualByComparingTo("1000");
    assertThat(r.holding().avgPrice()).isEqualByComparingTo("1.10000");
    assertThat(r.realized()).isEqualByComparingTo("0");
  }

  @Test
  void addingMovesTheAverageToTheWeightedMean() {
    Holding h = fill(Holding.FLAT, Side.BUY, "1000", "1.10000").holding();
    Result r = fill(h, Side.BUY, "3000", "1.10400");
    // (1000 × 1.10000 + 3000 × 1.10400) / 4000 = 1.10300
    assertThat(r.holding().quantity()).isEqualByComparingTo("4000");
    assertThat(r.holding().avgPrice()).isEqualTo(d("1.10300000"));
    assertThat(r.realized()).isEqualByComparingTo("0");
  }

  @Test
  void theAverageIsRoundedHalfEvenAtEightPlaces() {
    Holding h = fill(Holding.FLAT, Side.BUY, "3", "1").holding();
    // (3 × 1 + 3 × 2) / 6 = 1.5 exactly; (1 × 1 + 2 × 2) / 3 = 1.6666666666… → 1.66666667
    assertThat(fill(Holding.FLAT, Side.BUY, "1", "1").holding().avgPrice())
        .isEqualTo(d("1.00000000"));
    assertThat(
            fill(fill(Holding.FLAT, Side.BUY, "1", "1").holding(), Side.BUY, "2", "2")
                .holding()
                .avgPrice())
        .isEqualTo(d("1.66666667"));
    assertThat(fill(h, Side.BUY, "3", "2").holding().avgPrice()).isEqualTo(d("1.50000000"));
  }

  @Test
  void aPartialCloseRealizesOnTheClosedPartAndKeepsTheAverage() {
    Holding h = new Holding(d("4000"), d("1.10300"));
    Result r = fill(h, Side.SELL, "1000", "1.10500");
    assertThat(r.realized()).isEqualByComparingTo("2.00000"); // 1000 × (1.10500 − 1.10300)
    assertThat(r.holding().quantity()).isEqualByComparingTo("3000");
    assertThat(r.holding().avgPrice()).isEqualByComparingTo("1.10300");
  }

  @Test
  void aFullCloseRealizesEverythingAndIsFlat() {
    Result r = fill(new Holding(d("3000"), d("1.10300")), Side.SELL, "3000", "1.10000");
    assertThat(r.realized()).isEqualByComparingTo("-9.00000"); // 3000 × (1.10000 − 1.10300)
    assertThat(r.holding()).isEqualTo(Holding.FLAT);
  }

  @Test
  void aFillBeyondThePositionClosesItAndOpensTheRestAtTheFillPrice() {
    Result r = fill(new Holding(d("1000"), d("1.10000")), Side.SELL, "2500", "1.11000");
    assertThat(r.realized()).isEqualByComparingTo("10.00000"); // closes 1000 at +0.01
    assertThat(r.holding().quantity()).isEqualByComparingTo("-1500"); // short 1500
    assertThat(r.holding().avgPrice()).isEqualByComparingTo("1.11000");
  }

  @Test
  void aShortGainsWhenBoughtBackLower() {
    Holding shortPos = fill(Holding.FLAT, Side.SELL, "2000", "150.000").holding();
    assertThat(shortPos.quantity()).isEqualByComparingTo("-2000");
    Result r = fill(shortPos, Side.BUY, "500", "149.500");
    assertThat(r.realized()).isEqualByComparingTo("250.000"); // 500 × (150.000 − 149.500)
    assertThat(r.holding().quantity()).isEqualByComparingTo("-1500");
    assertThat(r.holding().avgPrice()).isEqualByComparingTo("150.000");
  }

  @Test
  void theContractSizeScalesRealizedPnl() {
    Result r =
        PositionMath.fill(
            new Holding(d("2"), d("2000.00")), Side.SELL, d("1"), d("2010.00"), d("100"));
    assertThat(r.realized()).isEqualByComparingTo("1000.00"); // 1 × 10.00 × 100 oz
  }

  @Test
  void unrealizedMarksTheHoldingAtThePriceGiven() {
    assertThat(PositionMath.unrealized(new Holding(d("1000"), d("1.10000")), d("1.09500"), ONE))
        .isEqualByComparingTo("-5.00000");
    assertThat(PositionMath.unrealized(new Holding(d("-1000"), d("1.10000")), d("1.09500"), ONE))
        .isEqualByComparingTo("5.00000");
  }

  @Test
  void aFillHasAPositiveQuantityAndPrice() {
    assertThatThrownBy(() -> fill(Holding.FLAT, Side.BUY, "0", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fill(Holding.FLAT, Side.BUY, "1", "-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
