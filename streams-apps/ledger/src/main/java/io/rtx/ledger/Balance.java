package io.rtx.ledger;

import java.math.BigDecimal;

/** An account's balance in its currency, at the currency's scale (zero before any entry). */
public record Balance(String account, String currency, BigDecimal amount) {}
