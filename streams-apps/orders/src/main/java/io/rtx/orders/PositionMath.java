package io.rtx.orders;

import io.rtx.schemas.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Net positions under the average-cost method. A fill in the position's direction (or from flat)
 * moves the average price to the quantity-weighted mean of the old average and the fill price
 * (scale 8, half-even); a fill against it realizes {@code closed × (fill − average) × contract
 * size} for a long ({@code (average − fill)} for a short) and leaves the average unchanged; a fill
 * beyond the position closes it and opens the rest at the fill price. Realized P&L is in the
 * instrument's quote currency, exact.
 */
public final class PositionMath {

  /** Quantity (signed: long positive), average price; zero quantity has a zero average. */
  public record Holding(BigDecimal quantity, BigDecimal avgPrice) {
    public static final Holding FLAT = new Holding(BigDecimal.ZERO, BigDecimal.ZERO);
  }

  /** The holding after a fill and the P&L the fill realized (quote currency). */
  public record Result(Holding holding, BigDecimal realized) {}

  private static final int SCALE = 8;

  private PositionMath() {}

  public static Result fill(
      Holding before, Side side, BigDecimal quantity, BigDecimal price, BigDecimal contractSize) {
    if (quantity.signum() <= 0 || price.signum() <= 0) {
      throw new IllegalArgumentException("a fill has a positive quantity and price");
    }
    BigDecimal q = before.quantity();
    BigDecimal signed = side == Side.BUY ? quantity : quantity.negate();
    if (q.signum() == 0 || q.signum() == signed.signum()) {
      BigDecimal total = q.abs().add(quantity);
      BigDecimal avg =
          q.abs()
              .multiply(before.avgPrice())
              .add(quantity.multiply(price))
              .divide(total, SCALE, RoundingMode.HALF_EVEN);
      return new Result(new Holding(q.add(signed), avg), BigDecimal.ZERO);
    }
    BigDecimal closed = q.abs().min(quantity);
    // long: sold above the average gains; short: bought back below the average gains
    BigDecimal perUnit =
        q.signum() > 0 ? price.subtract(before.avgPrice()) : before.avgPrice().subtract(price);
    BigDecimal realized = closed.multiply(perUnit).multiply(contractSize);
    BigDecimal after = q.add(signed);
    if (after.signum() == 0) {
      return new Result(Holding.FLAT, realized);
    }
    if (after.signum() == q.signum()) {
      return new Result(new Holding(after, before.avgPrice()), realized);
    }
    return new Result(new Holding(after, price.setScale(SCALE, RoundingMode.HALF_EVEN)), realized);
  }

  /**
   * What the holding would realize if closed at {@code mark} (quote currency): a long marks at the
   * bid, a short at the ask — the prices it could be closed at.
   */
  public static BigDecimal unrealized(Holding h, BigDecimal mark, BigDecimal contractSize) {
    return mark.subtract(h.avgPrice()).multiply(h.quantity()).multiply(contractSize);
  }
}
