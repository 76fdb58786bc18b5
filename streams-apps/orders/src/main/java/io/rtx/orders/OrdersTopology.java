package io.rtx.orders;

import io.rtx.common.JsonSerde;
import io.rtx.schemas.AccountBalance;
import io.rtx.schemas.DecisionStatus;
import io.rtx.schemas.Execution;
import io.rtx.schemas.LedgerTransaction;
import io.rtx.schemas.OrderDecision;
import io.rtx.schemas.OrderType;
import io.rtx.schemas.Position;
import io.rtx.schemas.TopicSpec;
import io.rtx.schemas.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The order path.
 *
 * <pre>
 * ref.accounts, ref.instruments, ref.currencies ──▶ global stores (every instance)
 * market.quotes ──────────────────────────────────▶ global table of the latest quote per symbol
 *
 * orders.submitted ─▶ OrderDesk ─────┐                       ┌─▶ orders.decisions
 * trades.executions ─▶ Fills ────────┼─ state per account ───┼─▶ positions, balances
 * ledger.audit ─▶ by account ─▶ Confirmations ┘              └─▶ ledger.entries ─▶ (ledger sink) ─▶ PostgreSQL
 *
 * simulator (orders.simulator.enabled): orders.decisions ─▶ market orders filled at the quote;
 *   limit orders by symbol ─▶ resting book ◀─ market.ticks ─▶ trades.executions
 * </pre>
 *
 * Everything an account's decisions depend on sits in one store, updated by one task in order, and
 * every output of a step is written in the same transaction as the state change (exactly once).
 */
public final class OrdersTopology {

  /** Partitions of the internal topics; equal to the order path's topics', so all co-partition. */
  static final int PARTITIONS = Topics.ORDERS.partitions();

  private OrdersTopology() {}

  public static Topology build(OrderSettings settings, OrderSerdes serdes) {
    StreamsBuilder b = new StreamsBuilder();
    referenceData(b, serdes);
    stores(b, settings);

    KStream<String, Emit> decisions =
        b.stream(
                Topics.ORDERS.name(),
                Consumed.with(Serdes.String(), serdes.order()).withName("orders-submitted"))
            .process(
                () -> new OrderDesk(settings),
                Named.as("orders-desk"),
                StoreNames.ACCOUNTS,
                StoreNames.ORDERS,
                StoreNames.OPEN_ORDERS,
                StoreNames.EXPIRY);
    KStream<String, Emit> fills =
        b.stream(
                Topics.EXECUTIONS.name(),
                Consumed.with(Serdes.String(), serdes.execution()).withName("orders-executions"))
            .process(
                () -> new Fills(settings),
                Named.as("orders-fills"),
                StoreNames.ACCOUNTS,
                StoreNames.ORDERS,
                StoreNames.OPEN_ORDERS,
                StoreNames.EXPIRY,
                StoreNames.INFLIGHT,
                StoreNames.EXECUTIONS_SEEN);
    KStream<String, Emit> confirmations =
        b.stream(
                Topics.LEDGER_AUDIT.name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                    .withName("orders-ledger-audit"))
            .flatMap(
                (key, value) -> {
                  if (value == null) {
                    return List.of();
                  }
                  LedgerEvent e =
                      Reference.ledger(
                          (GenericRecord)
                              serdes
                                  .debeziumValues()
                                  .deserialize(Topics.LEDGER_AUDIT.name(), value));
                  return e == null ? List.of() : List.of(KeyValue.pair(e.accountId(), e));
                },
                Named.as("orders-ledger-events"))
            .repartition(
                Repartitioned.with(Serdes.String(), new JsonSerde<>(LedgerEvent.class))
                    .withName("orders-ledger-by-account")
                    .withNumberOfPartitions(PARTITIONS))
            .process(
                () -> new Confirmations(settings),
                Named.as("orders-confirmations"),
                StoreNames.ACCOUNTS,
                StoreNames.INFLIGHT,
                StoreNames.LEDGER_SEEN);

    KStream<String, Emit> out =
        decisions
            .merge(fills, Named.as("orders-out-fills"))
            .merge(confirmations, Named.as("orders-out-ledger"));
    if (settings.simulatorEnabled()) {
      out = out.merge(simulator(b, settings, serdes), Named.as("orders-out-simulator"));
    }
    out.split(Named.as("orders-to-"))
        .branch(
            is(Emit.Kind.DECISION),
            to(Topics.ORDER_DECISIONS, serdes.decision(), OrderDecision.class))
        .branch(is(Emit.Kind.POSITION), to(Topics.POSITIONS, serdes.position(), Position.class))
        .branch(is(Emit.Kind.BALANCE), to(Topics.BALANCES, serdes.balance(), AccountBalance.class))
        .branch(
            is(Emit.Kind.LEDGER),
            to(Topics.LEDGER_ENTRIES, serdes.ledger(), LedgerTransaction.class))
        .branch(is(Emit.Kind.EXECUTION), to(Topics.EXECUTIONS, serdes.execution(), Execution.class))
        .branch(
            is(Emit.Kind.DEAD_EXECUTION),
            to(Topics.ORDERS_DLQ.name(), serdes.execution(), Execution.class));
    return b.build();
  }

  /** Accounts, instruments, currencies (Debezium) and the latest quotes, in every instance. */
  private static void referenceData(StreamsBuilder b, OrderSerdes serdes) {
    globalReference(
        b,
        Topics.REF_ACCOUNTS,
        StoreNames.ACCOUNTS_REF,
        AccountRef.class,
        Reference::account,
        serdes);
    globalReference(
        b,
        Topics.REF_INSTRUMENTS,
        StoreNames.INSTRUMENTS_REF,
        InstrumentRef.class,
        Reference::instrument,
        serdes);
    globalReference(
        b,
        Topics.REF_CURRENCIES,
        StoreNames.CURRENCIES_REF,
        Integer.class,
        Reference::currencyDecimals,
        serdes);
    b.globalTable(
        Topics.MARKET_QUOTES.name(),
        Consumed.with(Serdes.String(), serdes.tick()).withName("orders-quotes"),
        Materialized.as(StoreNames.QUOTES));
  }

  private static <V> void globalReference(
      StreamsBuilder b,
      TopicSpec<?, ?> topic,
      String store,
      Class<V> type,
      Function<GenericRecord, V> read,
      OrderSerdes serdes) {
    b.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(store), Serdes.String(), new JsonSerde<>(type))
            .withLoggingDisabled(),
        topic.name(),
        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(store + "-source"),
        () ->
            new ReferenceLoader<>(
                store, serdes.debeziumKeys(), serdes.debeziumValues(), read, null));
  }

  private static void stores(StreamsBuilder b, OrderSettings settings) {
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.ACCOUNTS),
            Serdes.String(),
            new JsonSerde<>(AccountState.class)));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.ORDERS),
            Serdes.String(),
            new JsonSerde<>(OrderRecord.class)));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.OPEN_ORDERS),
            Serdes.String(),
            new JsonSerde<>(OpenOrder.class)));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.EXPIRY), Serdes.String(), Serdes.String()));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.INFLIGHT),
            Serdes.String(),
            new JsonSerde<>(BigDecimal.class)));
    Duration keep = settings.history().multipliedBy(2);
    for (String seen : List.of(StoreNames.EXECUTIONS_SEEN, StoreNames.LEDGER_SEEN)) {
      b.addStateStore(
          Stores.windowStoreBuilder(
              Stores.persistentWindowStore(seen, keep, Duration.ofMillis(1), false),
              Serdes.String(),
              Serdes.Long()));
    }
    if (settings.simulatorEnabled()) {
      b.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(StoreNames.RESTING),
              Serdes.String(),
              new JsonSerde<>(SimulatedVenue.Resting.class)));
    }
  }

  private static KStream<String, Emit> simulator(
      StreamsBuilder b, OrderSettings settings, OrderSerdes serdes) {
    KStream<String, OrderDecision> decided =
        b.stream(
            Topics.ORDER_DECISIONS.name(),
            Consumed.with(Serdes.String(), serdes.decision()).withName("sim-decisions"));
    KStream<String, Emit> atDecision =
        decided.process(() -> new SimulatedVenue.AtDecision(settings), Named.as("sim-at-decision"));
    KStream<String, Emit> limits =
        decided
            .filter(
                (k, d) ->
                    d != null
                        && d.getOrderType() == OrderType.LIMIT
                        && (d.getStatus() == DecisionStatus.ACCEPTED
                            || d.getStatus() == DecisionStatus.CANCELLED),
                Named.as("sim-limit-orders"))
            .selectKey((k, d) -> d.getSymbol(), Named.as("sim-by-symbol-key"))
            .repartition(
                Repartitioned.with(Serdes.String(), serdes.decision())
                    .withName("sim-by-symbol")
                    .withNumberOfPartitions(Topics.MARKET_TICKS.partitions()))
            .process(
                () -> new SimulatedVenue.Book(settings), Named.as("sim-book"), StoreNames.RESTING);
    KStream<String, Emit> crossed =
        b.stream(
                Topics.MARKET_TICKS.name(),
                Consumed.with(Serdes.String(), serdes.tick()).withName("sim-ticks"))
            .process(
                () -> new SimulatedVenue.Matcher(settings),
                Named.as("sim-matcher"),
                StoreNames.RESTING);
    return atDecision
        .merge(limits, Named.as("sim-fills-limits"))
        .merge(crossed, Named.as("sim-fills-ticks"));
  }

  private static org.apache.kafka.streams.kstream.Predicate<String, Emit> is(Emit.Kind kind) {
    return (k, e) -> e.kind() == kind;
  }

  private static <V> Branched<String, Emit> to(
      TopicSpec<?, ?> topic, Serde<V> serde, Class<V> type) {
    return to(topic.name(), serde, type);
  }

  private static <V> Branched<String, Emit> to(String topic, Serde<V> serde, Class<V> type) {
    return Branched.withConsumer(
        s ->
            s.map(
                    (k, e) -> KeyValue.pair(e.key(), type.cast(e.value())),
                    Named.as(topic + "-values"))
                .to(topic, Produced.with(Serdes.String(), serde).withName(topic + "-sink")),
        topic);
  }
}
