package io.rtx.ledger;

import io.rtx.schemas.LedgerEntryKind;
import java.math.BigDecimal;

/**
 * What a money operation booked: the transaction, the client's signed amount and the account's
 * balance after it. {@code replayed}: the id had already booked this very request, nothing new was
 * written, and {@code balance} is the balance now.
 */
public record Receipt(
    String transactionId,
    LedgerEntryKind kind,
    String account,
    String currency,
    BigDecimal amount,
    BigDecimal balance,
    boolean replayed) {}
