package io.rtx.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * The rules an amount of money obeys before it reaches the ledger: written as a plain decimal
 * ({@code 100}, {@code 100.5}, {@code 0.01}), exact ({@link BigDecimal}, never floating point), and
 * with no more decimals than its currency has. The ledger's column holds 20 integer digits.
 */
public final class Money {

  // No exponent, no '+', no blanks: what an operator types is what gets booked.
  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,20}(\\.[0-9]+)?");

  private Money() {}

  /** A signed decimal amount, as written. */
  public static BigDecimal parse(String text) {
    if (text == null || !DECIMAL.matcher(text).matches()) {
      throw new Refused(
          "amount '"
              + text
              + "' is not a decimal number like 100, 100.5 or 0.01 (at most 20 digits before the point)");
    }
    return new BigDecimal(text);
  }

  /** An amount above zero: what a deposit or a withdrawal moves. */
  public static BigDecimal positive(String text) {
    BigDecimal amount = parse(text);
    if (amount.signum() <= 0) {
      throw new Refused("amount must be positive, got " + text);
    }
    return amount;
  }

  /** An amount other than zero, either sign: what an adjustment moves. */
  public static BigDecimal nonZero(String text) {
    BigDecimal amount = parse(text);
    if (amount.signum() == 0) {
      throw new Refused("amount must not be zero");
    }
    return amount;
  }

  /**
   * The amount at the currency's scale; refused when it has more (non-zero) decimals than the
   * currency allows, since rounding money is never silent.
   */
  public static BigDecimal in(BigDecimal amount, Currency currency) {
    if (amount.stripTrailingZeros().scale() > currency.decimals()) {
      throw new Refused(
          "amount "
              + amount.toPlainString()
              + " has more decimals than "
              + currency.code()
              + " allows ("
              + currency.decimals()
              + ")");
    }
    return amount.setScale(currency.decimals(), RoundingMode.UNNECESSARY);
  }

  /** A plain decimal string at the currency's scale ({@code 100000.00}, {@code 5000} for JPY). */
  public static String format(BigDecimal amount, Currency currency) {
    return in(amount, currency).toPlainString();
  }
}
