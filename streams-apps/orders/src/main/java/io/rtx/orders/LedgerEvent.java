package io.rtx.orders;

import java.math.BigDecimal;

/** One ledger entry seen back from PostgreSQL through Debezium ({@code ledger.audit}). */
public record LedgerEvent(
    String entryId, String accountId, String currency, BigDecimal amount, long lsn) {}
