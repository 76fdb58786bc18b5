package io.rtx.orders;

import java.math.BigDecimal;

/**
 * An account as the database has it ({@code ref.accounts}): what risk checks and bookings need.
 * Limits are null when the account has none.
 */
public record AccountRef(
    String accountId,
    String kind,
    String currency,
    BigDecimal leverage,
    String status,
    BigDecimal maxOrderQuantity,
    BigDecimal maxPositionQuantity,
    Integer maxOrdersPerSecond) {

  public boolean activeClient() {
    return "CLIENT".equals(kind) && "ACTIVE".equals(status);
  }

  public boolean house() {
    return "HOUSE".equals(kind);
  }
}
