package io.rtx.ledger;

import java.util.regex.Pattern;

/** A currency of the ledger and the most decimals an amount in it may have. */
public record Currency(String code, int decimals) {

  private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

  public Currency {
    if (code == null || !CODE.matcher(code).matches()) {
      throw new Refused("a currency code is three capital letters, got '" + code + "'");
    }
    if (decimals < 0 || decimals > 8) {
      throw new Refused(code + ": decimals must be 0..8, got " + decimals);
    }
  }
}
