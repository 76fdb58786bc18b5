package io.rtx.schemas;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Every decimal in our schemas has scale 8; Avro refuses a BigDecimal of any other scale, so values
 * are brought to it here. Rounding a value that needs more than 8 places is an error, never silent.
 */
public final class Decimals {

  public static final int SCALE = 8;

  private Decimals() {}

  public static BigDecimal of(BigDecimal value) {
    return value.setScale(SCALE, RoundingMode.UNNECESSARY);
  }

  public static BigDecimal of(String value) {
    return of(new BigDecimal(value));
  }

  public static BigDecimal zero() {
    return BigDecimal.ZERO.setScale(SCALE);
  }
}
