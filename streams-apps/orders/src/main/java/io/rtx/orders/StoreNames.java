package io.rtx.orders;

/** Names of the order path's state stores (also their changelogs' and the queries'). */
final class StoreNames {

  /** Per account: {@link AccountState}. */
  static final String ACCOUNTS = "orders-accounts";

  /** Per order id: {@link OrderRecord}, for queries and duplicate ids. */
  static final String ORDERS = "orders-by-id";

  /** Accepted orders not yet done: {@code <account id>|<order id>} → {@link OpenOrder}. */
  static final String OPEN_ORDERS = "orders-open";

  /** Open orders by expiry time: {@code <millis, 13 digits>|<order id>} → account id. */
  static final String EXPIRY = "orders-expiry";

  /**
   * Ledger entries booked by the order path and not yet seen back through Debezium: {@code <account
   * id>|<entry id>} → amount.
   */
  static final String INFLIGHT = "orders-inflight";

  /** Executions already applied (window store over {@code orders.history}). */
  static final String EXECUTIONS_SEEN = "orders-executions-seen";

  /** Ledger entries already counted (window store over {@code orders.history}). */
  static final String LEDGER_SEEN = "orders-ledger-seen";

  /** The simulator's resting limit orders: {@code <symbol>|<order id>}. */
  static final String RESTING = "orders-sim-resting";

  /** Global: reference data and quotes. */
  static final String ACCOUNTS_REF = "orders-ref-accounts";

  static final String INSTRUMENTS_REF = "orders-ref-instruments";
  static final String CURRENCIES_REF = "orders-ref-currencies";
  static final String QUOTES = "orders-quotes";

  private StoreNames() {}
}
