package io.rtx.orders;

import java.math.BigDecimal;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Cash as PostgreSQL has it: each ledger entry seen back through Debezium ({@code ledger.audit},
 * re-keyed by account) joins the account's confirmed cash once; if the order path booked it, it
 * leaves the in-flight entries at the same moment, so it is counted once while in flight and once
 * after, never twice and never not at all. Debezium delivers at least once: an entry seen before
 * (within {@code orders.history}) changes nothing. Deposits and withdrawals of the back office
 * arrive the same way.
 */
final class Confirmations implements Processor<String, LedgerEvent, String, Emit> {

  private final OrderSettings settings;
  private ProcessorContext<String, Emit> context;
  private KeyValueStore<String, AccountState> accounts;
  private KeyValueStore<String, BigDecimal> inflight;
  private WindowStore<String, Long> seen;

  Confirmations(OrderSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, Emit> context) {
    this.context = context;
    this.accounts = context.getStateStore(StoreNames.ACCOUNTS);
    this.seen = context.getStateStore(StoreNames.LEDGER_SEEN);
    this.inflight = context.getStateStore(StoreNames.INFLIGHT);
  }

  @Override
  public void process(Record<String, LedgerEvent> record) {
    LedgerEvent event = record.value();
    long window = settings.history().toMillis();
    try (WindowStoreIterator<Long> it =
        seen.fetch(event.entryId(), record.timestamp() - window, record.timestamp() + window)) {
      if (it.hasNext()) {
        return;
      }
    }
    seen.put(event.entryId(), event.lsn(), record.timestamp());
    AccountState state = accounts.get(event.accountId());
    if (state == null) {
      state = new AccountState(event.accountId());
    }
    state.confirmedCash = state.confirmedCash.add(event.amount());
    state.lastLsn = Math.max(state.lastLsn, event.lsn());
    BigDecimal booked = inflight.delete(Fills.inflightKey(event.accountId(), event.entryId()));
    if (booked != null) {
      state.inflightCash = state.inflightCash.subtract(booked);
      state.inflightEntries--;
    }
    state.version++;
    accounts.put(event.accountId(), state);
    context.forward(
        record
            .withKey(event.accountId())
            .withValue(OrderDesk.balance(state, event.currency(), record.timestamp())));
  }
}
