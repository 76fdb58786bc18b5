package io.rtx.schemas;

import io.rtx.schemas.TopicSpec.Cleanup;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The topic catalog: every topic the platform owns, declared once and used by name everywhere.
 * {@link TopicCatalog} applies it to a cluster; the README's topic table mirrors it.
 */
public final class Topics {

  private static final Optional<Duration> FOREVER = Optional.empty();

  /** Topics nothing writes to yet say so, so that no one takes them for live data. */
  private static Optional<Duration> days(long d) {
    return Optional.of(Duration.ofDays(d));
  }

  public static final TopicSpec<String, Tick> MARKET_TICKS =
      new TopicSpec<>(
          "market.ticks",
          String.class,
          Tick.class,
          6,
          Cleanup.DELETE,
          days(7),
          "Top-of-book ticks from upstream feeds, keyed by symbol.");

  public static final TopicSpec<String, Tick> MARKET_TICKS_LATE =
      new TopicSpec<>(
          "market.ticks.late",
          String.class,
          Tick.class,
          1,
          Cleanup.DELETE,
          days(7),
          "Ticks that arrived after their candle closed (past grace); reason in headers.");

  public static final TopicSpec<byte[], byte[]> MARKET_TICKS_DLQ =
      new TopicSpec<>(
          "market.ticks.dlq",
          byte[].class,
          byte[].class,
          1,
          Cleanup.DELETE,
          days(30),
          "Tick records that could not be read or are invalid, bytes as received; reason in headers.");

  public static final TopicSpec<String, Tick> MARKET_QUOTES =
      new TopicSpec<>(
          "market.quotes",
          String.class,
          Tick.class,
          6,
          Cleanup.COMPACT,
          FOREVER,
          "The latest tick of each symbol (written by the quotes app, compacted), keyed by symbol:"
              + " what the order path prices with.");

  public static final TopicSpec<String, Candle> MARKET_CANDLES =
      new TopicSpec<>(
          "market.candles",
          String.class,
          Candle.class,
          6,
          Cleanup.DELETE,
          days(90),
          "Final OHLC candles, one per symbol, interval and window, keyed by SYMBOL:INTERVAL.");

  public static final TopicSpec<String, Candle> MARKET_CANDLES_LIVE =
      new TopicSpec<>(
          "market.candles.live",
          String.class,
          Candle.class,
          6,
          Cleanup.COMPACT_DELETE,
          days(1),
          "Updates of the open candle for charts, keyed by SYMBOL:INTERVAL.");

  public static final TopicSpec<String, Order> ORDERS =
      new TopicSpec<>(
          "orders.submitted",
          String.class,
          Order.class,
          6,
          Cleanup.DELETE,
          days(30),
          "Orders awaiting a pre-trade risk decision, keyed by account_id.");

  public static final TopicSpec<String, OrderDecision> ORDER_DECISIONS =
      new TopicSpec<>(
          "orders.decisions",
          String.class,
          OrderDecision.class,
          6,
          Cleanup.DELETE,
          days(30),
          "Accept/reject verdicts with reason codes, keyed by account_id.");

  public static final TopicSpec<String, Execution> EXECUTIONS =
      new TopicSpec<>(
          "trades.executions",
          String.class,
          Execution.class,
          6,
          Cleanup.DELETE,
          days(30),
          "Fills from the matching engine, keyed by account_id.");

  public static final TopicSpec<String, Position> POSITIONS =
      new TopicSpec<>(
          "positions",
          String.class,
          Position.class,
          6,
          Cleanup.COMPACT,
          FOREVER,
          "Latest position per account and symbol, keyed by ACCOUNT:SYMBOL (compacted).");

  public static final TopicSpec<String, AccountBalance> BALANCES =
      new TopicSpec<>(
          "balances",
          String.class,
          AccountBalance.class,
          6,
          Cleanup.COMPACT,
          FOREVER,
          "Latest balance per account and currency, keyed by ACCOUNT:CURRENCY (compacted).");

  public static final TopicSpec<byte[], byte[]> ORDERS_DLQ =
      new TopicSpec<>(
          "orders.dlq",
          byte[].class,
          byte[].class,
          1,
          Cleanup.DELETE,
          days(30),
          "Records the orders app could not read or apply (orders, executions, ledger events), bytes as"
              + " received; reason in headers.");

  public static final TopicSpec<String, LedgerTransaction> LEDGER_ENTRIES =
      new TopicSpec<>(
          "ledger.entries",
          String.class,
          LedgerTransaction.class,
          6,
          Cleanup.DELETE,
          days(30),
          "Balanced ledger transactions the order path books (a fill's realized P&L and fee), keyed by"
              + " the client's account_id; the ledger sink writes them to transactions.ledger.");

  public static final TopicSpec<byte[], byte[]> LEDGER_ENTRIES_DLQ =
      new TopicSpec<>(
          "ledger.entries.dlq",
          byte[].class,
          byte[].class,
          1,
          Cleanup.DELETE,
          days(30),
          "Records of ledger.entries the ledger sink could not book (refused by the database, or not a"
              + " LedgerTransaction), bytes as received; reason in Connect's __connect.errors.*"
              + " headers.");

  public static final TopicSpec<byte[], byte[]> LEDGER_AUDIT =
      new TopicSpec<>(
          "ledger.audit",
          byte[].class,
          byte[].class,
          1,
          Cleanup.DELETE,
          days(7 * 366),
          "Debezium change events of the PostgreSQL ledger (transactions.ledger), keyed by entry_id,"
              + " kept 7 years; one partition keeps commit order.");

  public static final TopicSpec<String, byte[]> REF_ACCOUNTS =
      new TopicSpec<>(
          "ref.accounts",
          String.class,
          byte[].class,
          1,
          Cleanup.COMPACT,
          FOREVER,
          "Accounts as the database has them (Debezium, row image), keyed by account_id; a tombstone"
              + " when one is deleted. Reference data for the order path.");

  public static final TopicSpec<String, byte[]> REF_CURRENCIES =
      new TopicSpec<>(
          "ref.currencies",
          String.class,
          byte[].class,
          1,
          Cleanup.COMPACT,
          FOREVER,
          "Currencies and their decimals as the database has them (Debezium, row image), keyed by"
              + " code. Reference data for the order path.");

  public static final TopicSpec<String, byte[]> REF_INSTRUMENTS =
      new TopicSpec<>(
          "ref.instruments",
          String.class,
          byte[].class,
          1,
          Cleanup.COMPACT,
          FOREVER,
          "Instruments as the database has them (Debezium, row image), keyed by symbol. Reference"
              + " data for the order path.");

  public static final TopicSpec<byte[], byte[]> CDC_HEARTBEAT =
      new TopicSpec<>(
          "cdc.heartbeat",
          byte[].class,
          byte[].class,
          1,
          Cleanup.DELETE,
          days(1),
          "Heartbeats of the Debezium source: they keep its replication slot moving while the captured"
              + " tables are quiet.");

  /** Every topic, in the order the README lists them. */
  public static final List<TopicSpec<?, ?>> ALL =
      List.of(
          MARKET_TICKS,
          MARKET_TICKS_LATE,
          MARKET_TICKS_DLQ,
          MARKET_QUOTES,
          MARKET_CANDLES,
          MARKET_CANDLES_LIVE,
          ORDERS,
          ORDER_DECISIONS,
          EXECUTIONS,
          POSITIONS,
          BALANCES,
          ORDERS_DLQ,
          LEDGER_ENTRIES,
          LEDGER_ENTRIES_DLQ,
          LEDGER_AUDIT,
          REF_ACCOUNTS,
          REF_CURRENCIES,
          REF_INSTRUMENTS,
          CDC_HEARTBEAT);

  private Topics() {}
}
