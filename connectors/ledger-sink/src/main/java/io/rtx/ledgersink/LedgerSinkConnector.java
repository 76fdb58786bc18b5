package io.rtx.ledgersink;

import io.rtx.pgsink.PgSinkConnector;

/**
 * Sink connector that books {@code LedgerTransaction} records into the PostgreSQL ledger: see
 * {@link LedgerSinkTask} for the write path and the module's README for semantics. Every task gets
 * the same configuration.
 */
public class LedgerSinkConnector extends PgSinkConnector {

  public LedgerSinkConnector() {
    super(LedgerSinkTask.class, LedgerSinkConfig.CONFIG_DEF, LedgerSinkConfig::new);
  }
}
