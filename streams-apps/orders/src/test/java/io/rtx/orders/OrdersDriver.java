package io.rtx.orders;

import io.rtx.common.Settings;
import io.rtx.schemas.AccountBalance;
import io.rtx.schemas.AvroBinarySerde;
import io.rtx.schemas.Execution;
import io.rtx.schemas.LedgerTransaction;
import io.rtx.schemas.Order;
import io.rtx.schemas.OrderDecision;
import io.rtx.schemas.OrderType;
import io.rtx.schemas.Position;
import io.rtx.schemas.Side;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The orders topology on a TopologyTestDriver. Reference data is written as Debezium writes it (row
 * images in Avro, decimals as bytes), with schemas of the same shape; our topics use plain Avro.
 */
final class OrdersDriver implements AutoCloseable {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  static final Schema ACCOUNT_ROW =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"AccountRow","fields":[
                {"name":"account_id","type":"string"},{"name":"owner_login","type":"string"},
                {"name":"kind","type":"string"},{"name":"currency","type":"string"},
                {"name":"leverage","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
                {"name":"status","type":"string"},
                {"name":"max_order_quantity","type":["null",{"type":"bytes","logicalType":"decimal","precision":20,"scale":8}]},
                {"name":"max_position_quantity","type":["null",{"type":"bytes","logicalType":"decimal","precision":20,"scale":8}]},
                {"name":"max_orders_per_second","type":["null","int"]}]}""");
  static final Schema INSTRUMENT_ROW =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"InstrumentRow","fields":[
                {"name":"symbol","type":"string"},{"name":"quote_currency","type":"string"},
                {"name":"tick_size","type":{"type":"bytes","logicalType":"decimal","precision":20,"scale":8}},
                {"name":"lot_size","type":{"type":"bytes","logicalType":"decimal","precision":20,"scale":8}},
                {"name":"min_quantity","type":{"type":"bytes","logicalType":"decimal","precision":20,"scale":8}},
                {"name":"max_quantity","type":{"type":"bytes","logicalType":"decimal","precision":20,"scale":8}},
                {"name":"contract_size","type":{"type":"bytes","logicalType":"decimal","precision":20,"scale":8}},
                {"name":"margin_rate","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":8}},
                {"name":"price_band_pct","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":4}},
                {"name":"status","type":"string"}]}""");
  static final Schema CURRENCY_ROW =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"CurrencyRow","fields":[
                {"name":"code","type":"string"},{"name":"decimals","type":"int"}]}""");
  static final Schema LEDGER_EVENT =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"Envelope","fields":[
                {"name":"after","type":["null",{"type":"record","name":"LedgerRow","fields":[
                  {"name":"entry_id","type":"string"},{"name":"account_id","type":"string"},
                  {"name":"currency","type":"string"},
                  {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":28,"scale":8}}]}]},
                {"name":"source","type":{"type":"record","name":"Source","fields":[{"name":"lsn","type":"long"}]}},
                {"name":"op","type":"string"}]}""");

  static final Map<String, Schema> ROWS =
      Map.of(
          Topics.REF_ACCOUNTS.name(), ACCOUNT_ROW,
          Topics.REF_INSTRUMENTS.name(), INSTRUMENT_ROW,
          Topics.REF_CURRENCIES.name(), CURRENCY_ROW,
          Topics.LEDGER_AUDIT.name(), LEDGER_EVENT);

  static final Deserializer<Object> KEYS =
      (topic, data) -> data == null ? null : new String(data, StandardCharsets.UTF_8);
  static final Deserializer<Object> VALUES =
      (topic, data) -> {
        try {
          return new GenericDatumReader<GenericRecord>(ROWS.get(topic))
              .read(null, DecoderFactory.get().binaryDecoder(data, null));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };

  static final OrderSerdes SERDES =
      new OrderSerdes(
          new AvroBinarySerde<>(Order.class),
          new AvroBinarySerde<>(OrderDecision.class),
          new AvroBinarySerde<>(Execution.class),
          new AvroBinarySerde<>(Position.class),
          new AvroBinarySerde<>(AccountBalance.class),
          new AvroBinarySerde<>(LedgerTransaction.class),
          new AvroBinarySerde<>(Tick.class),
          KEYS,
          VALUES);

  final OrderSettings settings;
  final TopologyTestDriver driver;
  final TestInputTopic<String, Order> orders;
  final TestInputTopic<String, Execution> executions;
  final TestInputTopic<String, Tick> quotes;
  final TestInputTopic<String, Tick> ticks;
  final TestInputTopic<byte[], byte[]> accountsRef;
  final TestInputTopic<byte[], byte[]> instrumentsRef;
  final TestInputTopic<byte[], byte[]> currenciesRef;
  final TestInputTopic<byte[], byte[]> ledgerAudit;
  final TestOutputTopic<String, OrderDecision> decisions;
  final TestOutputTopic<String, Position> positions;
  final TestOutputTopic<String, AccountBalance> balances;
  final TestOutputTopic<String, LedgerTransaction> ledger;
  final TestOutputTopic<String, Execution> fills;
  final TestOutputTopic<String, Execution> dlq;
  private final Path stateDir;
  private int orderSeq;

  OrdersDriver(OrderSettings settings) {
    this.settings = settings;
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "orders-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try {
      stateDir = Files.createTempDirectory("orders-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // the app's own handling of records it cannot read, as orders.properties sets it
    Properties app = Settings.defaults(OrderSettings.APP).withPrefix("kafka.");
    for (String k :
        List.of(
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)) {
      props.put(k, app.getProperty(k));
    }
    driver = new TopologyTestDriver(OrdersTopology.build(settings, SERDES), props, T0);
    StringSerializer s = new StringSerializer();
    StringDeserializer d = new StringDeserializer();
    orders =
        driver.createInputTopic(
            Topics.ORDERS.name(), s, SERDES.order().serializer(), T0, java.time.Duration.ZERO);
    executions =
        driver.createInputTopic(Topics.EXECUTIONS.name(), s, SERDES.execution().serializer());
    quotes = driver.createInputTopic(Topics.MARKET_QUOTES.name(), s, SERDES.tick().serializer());
    ticks = driver.createInputTopic(Topics.MARKET_TICKS.name(), s, SERDES.tick().serializer());
    ByteArraySerializer b = new ByteArraySerializer();
    accountsRef = driver.createInputTopic(Topics.REF_ACCOUNTS.name(), b, b);
    instrumentsRef = driver.createInputTopic(Topics.REF_INSTRUMENTS.name(), b, b);
    currenciesRef = driver.createInputTopic(Topics.REF_CURRENCIES.name(), b, b);
    ledgerAudit = driver.createInputTopic(Topics.LEDGER_AUDIT.name(), b, b);
    decisions =
        driver.createOutputTopic(
            Topics.ORDER_DECISIONS.name(), d, SERDES.decision().deserializer());
    positions =
        driver.createOutputTopic(Topics.POSITIONS.name(), d, SERDES.position().deserializer());
    balances = driver.createOutputTopic(Topics.BALANCES.name(), d, SERDES.balance().deserializer());
    ledger =
        driver.createOutputTopic(Topics.LEDGER_ENTRIES.name(), d, SERDES.ledger().deserializer());
    fills =
        driver.createOutputTopic(Topics.EXECUTIONS.name(), d, SERDES.execution().deserializer());
    dlq = driver.createOutputTopic(Topics.ORDERS_DLQ.name(), d, SERDES.execution().deserializer());
  }

  /** USD with 2 decimals, JPY with 0; EURUSD and USDJPY; a house account per currency. */
  OrdersDriver withMarket() {
    currency("USD", 2);
    currency("JPY", 0);
    account("HOUSE-USD", "HOUSE", "USD", "1", "ACTIVE", null, null, null);
    instrument("EURUSD", "USD", "0.00001", "1000", "1000", "1000000", "1", "0.02", "1");
    instrument("USDJPY", "JPY", "0.001", "1000", "1000", "1000000", "1", "0.02", "1");
    quote("EURUSD", "1.08000", "1.08002");
    quote("USDJPY", "150.000", "150.002");
    return this;
  }

  void currency(String code, int decimals) {
    GenericRecord r = new GenericData.Record(CURRENCY_ROW);
    r.put("code", code);
    r.put("decimals", decimals);
    currenciesRef.pipeInput(code.getBytes(StandardCharsets.UTF_8), avro(r));
  }

  void account(
      String id,
      String kind,
      String currency,
      String leverage,
      String status,
      String maxOrder,
      String maxPosition,
      Integer maxRate) {
    GenericRecord r = new GenericData.Record(ACCOUNT_ROW);
    r.put("account_id", id);
    r.put("owner_login", "owner");
    r.put("kind", kind);
    r.put("currency", currency);
    r.put("leverage", decimal(leverage, ACCOUNT_ROW, "leverage"));
    r.put("status", status);
    r.put("max_order_quantity", maxOrder == null ? null : decimal(maxOrder, 8));
    r.put("max_position_quantity", maxPosition == null ? null : decimal(maxPosition, 8));
    r.put("max_orders_per_second", maxRate);
    accountsRef.pipeInput(id.getBytes(StandardCharsets.UTF_8), avro(r));
  }

  /** A CLIENT account in USD, leverage 30, no limits. */
  void client(String id) {
    account(id, "CLIENT", "USD", "30", "ACTIVE", null, null, null);
  }

  void instrument(
      String symbol,
      String quote,
      String tick,
      String lot,
      String min,
      String max,
      String contract,
      String marginRate,
      String bandPct) {
    GenericRecord r = new GenericData.Record(INSTRUMENT_ROW);
    r.put("symbol", symbol);
    r.put("quote_currency", quote);
    r.put("tick_size", decimal(tick, 8));
    r.put("lot_size", decimal(lot, 8));
    r.put("min_quantity", decimal(min, 8));
    r.put("max_quantity", decimal(max, 8));
    r.put("contract_size", decimal(contract, 8));
    r.put("margin_rate", decimal(marginRate, 8));
    r.put("price_band_pct", decimal(bandPct, 4));
    r.put("status", "TRADING");
    instrumentsRef.pipeInput(symbol.getBytes(StandardCharsets.UTF_8), avro(r));
  }

  private long quoteSeq = 1;

  void quote(String symbol, String bid, String ask) {
    quotes.pipeInput(symbol, tick(symbol, bid, ask));
  }

  Tick tick(String symbol, String bid, String ask) {
    return Tick.newBuilder()
        .setSymbol(symbol)
        .setSeq(quoteSeq++)
        .setTs(T0)
        .setBid(new BigDecimal(bid).setScale(8))
        .setAsk(new BigDecimal(ask).setScale(8))
        .setVenue("TEST")
        .build();
  }

  /** The ledger's own record of an entry, as Debezium would stream it back. */
  void ledgerEntry(String entryId, String account, String currency, String amount, long lsn) {
    Schema rowSchema = LEDGER_EVENT.getField("after").schema().getTypes().get(1);
    GenericRecord row = new GenericData.Record(rowSchema);
    row.put("entry_id", entryId);
    row.put("account_id", account);
    row.put("currency", currency);
    row.put("amount", decimal(amount, 8));
    GenericRecord source = new GenericData.Record(LEDGER_EVENT.getField("source").schema());
    source.put("lsn", lsn);
    GenericRecord event = new GenericData.Record(LEDGER_EVENT);
    event.put("after", row);
    event.put("source", source);
    event.put("op", "c");
    ledgerAudit.pipeInput(entryId.getBytes(StandardCharsets.UTF_8), avro(event));
  }

  Order market(String account, String symbol, Side side, String quantity) {
    return order(account, "O-" + (++orderSeq), symbol, side, OrderType.MARKET, quantity, null);
  }

  Order limit(String account, String symbol, Side side, String quantity, String price) {
    return order(account, "O-" + (++orderSeq), symbol, side, OrderType.LIMIT, quantity, price);
  }

  static Order order(
      String account,
      String id,
      String symbol,
      Side side,
      OrderType type,
      String quantity,
      String price) {
    return Order.newBuilder()
        .setOrderId(id)
        .setAccountId(account)
        .setSymbol(symbol)
        .setSide(side)
        .setOrderType(type)
        .setQuantity(new BigDecimal(quantity).setScale(8))
        .setLimitPrice(price == null ? null : new BigDecimal(price).setScale(8))
        .setSubmittedAt(T0)
        .build();
  }

  OrderDecision submit(Order order) {
    orders.pipeInput(order.getAccountId(), order);
    return decisions.readValue();
  }

  static Execution execution(String id, Order order, String quantity, String price, String fee) {
    return Execution.newBuilder()
        .setExecutionId(id)
        .setOrderId(order.getOrderId())
        .setAccountId(order.getAccountId())
        .setSymbol(order.getSymbol())
        .setSide(order.getSide())
        .setQuantity(new BigDecimal(quantity).setScale(8))
        .setPrice(new BigDecimal(price).setScale(8))
        .setFee(new BigDecimal(fee).setScale(8))
        .setExecutedAt(T0)
        .build();
  }

  static ByteBuffer decimal(String value, int scale) {
    Schema s = LogicalTypes.decimal(28, scale).addToSchema(Schema.create(Schema.Type.BYTES));
    return new Conversions.DecimalConversion()
        .toBytes(
            new BigDecimal(value).setScale(scale), s, (LogicalTypes.Decimal) s.getLogicalType());
  }

  private static ByteBuffer decimal(String value, Schema record, String field) {
    Schema s = record.getField(field).schema();
    return new Conversions.DecimalConversion()
        .toBytes(
            new BigDecimal(value).setScale(((LogicalTypes.Decimal) s.getLogicalType()).getScale()),
            s,
            (LogicalTypes.Decimal) s.getLogicalType());
  }

  static byte[] avro(GenericRecord r) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(r.getSchema()).write(r, e);
      e.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keys of the expiry store: open orders waiting for their time. */
  java.util.List<String> expiring() {
    java.util.List<String> keys = new java.util.ArrayList<>();
    try (var it = driver.<String, String>getKeyValueStore(StoreNames.EXPIRY).all()) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }

  AccountState state(String account) {
    return driver.<String, AccountState>getKeyValueStore(StoreNames.ACCOUNTS).get(account);
  }

  @Override
  public void close() {
    driver.close();
    try (var files = Files.walk(stateDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
