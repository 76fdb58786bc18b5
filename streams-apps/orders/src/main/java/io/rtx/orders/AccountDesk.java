package io.rtx.orders;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A processor of the task that owns its accounts: the account states, their orders, the open
 * orders' margin and the expiry schedule of resting limit orders, which the order desk and the
 * fills both change.
 */
abstract class AccountDesk<V> implements Processor<String, V, String, Emit> {

  final OrderSettings settings;
  ProcessorContext<String, Emit> context;
  KeyValueStore<String, AccountState> accounts;
  KeyValueStore<String, OrderRecord> orders;
  KeyValueStore<String, String> expiry;
  KeyValueStore<String, OpenOrder> openOrders;
  Refs refs;

  AccountDesk(OrderSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, Emit> context) {
    this.context = context;
    this.accounts = context.getStateStore(StoreNames.ACCOUNTS);
    this.orders = context.getStateStore(StoreNames.ORDERS);
    this.expiry = context.getStateStore(StoreNames.EXPIRY);
    this.openOrders = context.getStateStore(StoreNames.OPEN_ORDERS);
    this.refs = new Refs(context);
  }
}
