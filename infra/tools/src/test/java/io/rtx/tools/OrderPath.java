package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.launcher.RedisUser;
import io.rtx.launcher.Secrets;
import io.rtx.ledger.BackOffice;
import io.rtx.ledger.Pii;
import io.rtx.ledger.ReferenceData;
import io.rtx.ledger.ReferenceData.AccountSpec;
import io.rtx.ledger.ReferenceData.UserSpec;
import io.rtx.schemas.AccountBalance;
import io.rtx.schemas.DecisionStatus;
import io.rtx.schemas.Execution;
import io.rtx.schemas.Names;
import io.rtx.schemas.OrderDecision;
import io.rtx.schemas.Position;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Side;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.postgresql.ds.PGSimpleDataSource;
import redis.clients.jedis.Jedis;

/**
 * What the order-path tests share: accounts of their own with a deposit, a tick feed, the seeded
 * order flow through the gateway, and an independent recomputation of every account's cash and
 * positions from the topics (decisions, executions), to hold each place the platform keeps them
 * against: the account query, Redis, the balances and positions topics and the PostgreSQL ledger.
 */
final class OrderPath {

  /** USD-quoted instruments: the recomputation then needs no exchange rate. */
  static final List<String> SYMBOLS = List.of("EURUSD", "GBPUSD", "XAUUSD", "BTCUSD");

  static final String DEPOSIT = "10000.00";

  final LocalStack stack;
  final List<String> accounts = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();
  private final PGSimpleDataSource owner = new PGSimpleDataSource();

  OrderPath(LocalStack stack, String prefix, int accountCount) throws Exception {
    this.stack = stack;
    owner.setURL(stack.jdbcUrl());
    owner.setUser(stack.pgUser());
    owner.setPassword(stack.pgPassword());
    PGSimpleDataSource bo = new PGSimpleDataSource();
    bo.setURL(stack.jdbcUrl());
    bo.setUser(Secrets.Role.BACKOFFICE.roleName());
    bo.setPassword(stack.settings().secrets().password(Secrets.Role.BACKOFFICE));
    ReferenceData ref = new ReferenceData(bo, Pii.fromKey(stack.settings().secrets().piiKey()));
    BackOffice backOffice = new BackOffice(bo);
    SeedCommand.seed(
        ref, backOffice, 0, "order-path-it"); // currencies, instruments, house accounts
    for (int i = 1; i <= accountCount; i++) {
      String account = String.format("%s-%02d", prefix, i);
      String login = account.toLowerCase(java.util.Locale.ROOT);
      ref.user(new UserSpec(login, "trader", null, null, null, "ACTIVE"), "order-path-it");
      ref.account(
          new AccountSpec(
              account, login, "CLIENT", "USD", new BigDecimal("30"), "ACTIVE", null, null, null),
          "order-path-it");
      backOffice.deposit(
          account, DEPOSIT, "USD", "opening", "order-path-it", "OPIT-DEP-" + account);
      accounts.add(account);
    }
  }

  /** Ticks of {@link #SYMBOLS} on the wall clock until {@code running} turns false. */
  Thread tickFeed(AtomicBoolean running) {
    return SimulateCommand.wallClockFeed(
        stack.bootstrapServers(), stack.registryUrl(), SYMBOLS, "OPIT", 200, running);
  }

  /** The Redis quote hash of each of {@link #SYMBOLS}. */
  Map<String, Map<String, String>> quotes() {
    try (Jedis redis = new Jedis(stack.redisUri(RedisUser.READER))) {
      Map<String, Map<String, String>> quotes = new HashMap<>();
      for (String symbol : SYMBOLS) {
        quotes.put(symbol, redis.hgetAll(Names.quoteKey(symbol)));
      }
      return quotes;
    }
  }

  /**
   * The seeded flow of orders (market and limit, bursts, invalid ones, duplicates) through the
   * gateway.
   */
  SimulateOrdersCommand.Report sendOrders(long seed, long count, double rate)
      throws InterruptedException {
    List<Instrument> instruments = Instrument.parse(String.join(",", SYMBOLS));
    OrderFlow flow =
        new OrderFlow(
            accounts,
            instruments,
            seed,
            "OPIT-" + seed + "-" + System.nanoTime() % 100000,
            OrderFlow.Prices.START);
    return SimulateOrdersCommand.run(
        new SimulateOrdersCommand.Options(
            List.of(flow),
            URI.create(stack.settings().httpUrl(io.rtx.schemas.Component.ORDERS)),
            count,
            null,
            rate,
            32,
            true),
        new OrderTally());
  }

  /** GET /accounts/{id}, parsed. */
  Map<String, Object> account(String id) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        stack.settings().httpUrl(io.rtx.schemas.Component.ORDERS)
                            + "/accounts/"
                            + id))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return Map.of("status", r.statusCode());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m =
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(r.body(), Map.class);
    return m;
  }

  BigDecimal ledgerSum(String account) throws Exception {
    try (Connection c = owner.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT coalesce(sum(amount), 0) FROM transactions.ledger WHERE account_id = ?")) {
      s.setString(1, account);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getBigDecimal(1);
      }
    }
  }

  long mismatches() throws Exception {
    try (Connection c = owner.getConnection();
        var s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM transactions.balance_mismatches()")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** An account as the topics say it should be: cash and each symbol's position. */
  record Expected(BigDecimal cash, Map<String, Pos> positions) {}

  record Pos(BigDecimal quantity, BigDecimal avgPrice, BigDecimal realized, BigDecimal fees) {}

  /** Every record of a topic, in order per partition, read to its end now. */
  <V> List<ConsumerRecord<String, V>> read(
      String topic, org.apache.kafka.common.serialization.Deserializer<V> values) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, V>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (accounts.contains(accountOf(r.key())) && r.value() != null) {
            out.add(
                new ConsumerRecord<>(
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    r.key(),
                    values.deserialize(topic, r.value())));
          }
        }
      }
    }
    return out;
  }

  private static String accountOf(String key) {
    return key == null ? "" : key.contains(":") ? key.substring(0, key.indexOf(':')) : key;
  }

  /**
   * The accounts recomputed from the executions topic alone (the average-cost method written out
   * again here, not the app's code), each fill's realized P&L rounded to cents like a booking.
   */
  Map<String, Expected> recompute() throws Exception {
    Map<String, BigDecimal> contractSizes = new HashMap<>();
    try (Connection c = owner.getConnection();
        var s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT symbol, contract_size FROM instruments.instruments")) {
      while (r.next()) {
        contractSizes.put(r.getString(1), r.getBigDecimal(2));
      }
    }
    Map<String, BigDecimal> cash = new TreeMap<>();
    Map<String, Map<String, Pos>> positions = new TreeMap<>();
    accounts.forEach(a -> cash.put(a, new BigDecimal(DEPOSIT)));
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (ConsumerRecord<String, Execution> r :
        read(
            Topics.EXECUTIONS.name(),
            RegistrySerdes.<Execution>value(stack.registryUrl()).deserializer())) {
      Execution e = r.value();
      if (!seen.add(e.getExecutionId())) {
        continue;
      }
      Map<String, Pos> book = positions.computeIfAbsent(e.getAccountId(), k -> new TreeMap<>());
      Pos p =
          book.getOrDefault(
              e.getSymbol(),
              new Pos(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO));
      BigDecimal contract = contractSizes.get(e.getSymbol());
      BigDecimal signed = e.getSide() == Side.BUY ? e.getQuantity() : e.getQuantity().negate();
      BigDecimal q = p.quantity();
      BigDecimal realized = BigDecimal.ZERO;
      BigDecimal avg = p.avgPrice();
      BigDecimal after = q.add(signed);
      if (q.signum() == 0 || q.signum() == signed.signum()) {
        avg =
            q.abs()
                .multiply(p.avgPrice())
                .add(e.getQuantity().multiply(e.getPrice()))
                .divide(after.abs(), 8, RoundingMode.HALF_EVEN);
      } else {
        BigDecimal closed = q.abs().min(e.getQuantity());
        realized =
            closed
                .multiply(e.getPrice().subtract(p.avgPrice()))
                .multiply(BigDecimal.valueOf(q.signum()))
                .multiply(contract);
        if (after.signum() == 0) {
          avg = BigDecimal.ZERO;
        } else if (after.signum() != q.signum()) {
          avg = e.getPrice();
        }
      }
      BigDecimal booked = realized.setScale(2, RoundingMode.HALF_EVEN);
      BigDecimal fee = e.getFee().setScale(2, RoundingMode.HALF_EVEN);
      book.put(e.getSymbol(), new Pos(after, avg, p.realized().add(booked), p.fees().add(fee)));
      cash.merge(e.getAccountId(), booked.subtract(fee), BigDecimal::add);
    }
    Map<String, Expected> out = new LinkedHashMap<>();
    accounts.forEach(
        a -> out.put(a, new Expected(cash.get(a), positions.getOrDefault(a, Map.of()))));
    return out;
  }

  /** Latest value per key of a compacted topic (by version, the highest). */
  <V> Map<String, V> latest(
      String topic,
      org.apache.kafka.common.serialization.Deserializer<V> values,
      java.util.function.ToLongFunction<V> version) {
    Map<String, V> latest = new HashMap<>();
    for (ConsumerRecord<String, V> r : read(topic, values)) {
      latest.merge(
          r.key(), r.value(), (a, b) -> version.applyAsLong(b) >= version.applyAsLong(a) ? b : a);
    }
    return latest;
  }

  /**
   * Decisions of our accounts; the first per order id is the order's own, later ones cancellations
   * or duplicates.
   */
  List<OrderDecision> decisions() {
    return read(
            Topics.ORDER_DECISIONS.name(),
            RegistrySerdes.<OrderDecision>value(stack.registryUrl()).deserializer())
        .stream()
        .map(ConsumerRecord::value)
        .toList();
  }

  /** Every place that keeps an account's cash and positions, held against the recomputation. */
  void assertEverywhereEqual(Map<String, Expected> expected) throws Exception {
    Map<String, AccountBalance> balances =
        latest(
            Topics.BALANCES.name(),
            RegistrySerdes.<AccountBalance>value(stack.registryUrl()).deserializer(),
            AccountBalance::getVersion);
    Map<String, Position> positions =
        latest(
            Topics.POSITIONS.name(),
            RegistrySerdes.<Position>value(stack.registryUrl()).deserializer(),
            Position::getVersion);
    try (Jedis redis = new Jedis(stack.redisUri(RedisUser.READER))) {
      for (Map.Entry<String, Expected> e : expected.entrySet()) {
        String a = e.getKey();
        BigDecimal cash = e.getValue().cash();
        Map<String, Object> view = account(a);
        assertThat(new BigDecimal((String) view.get("balance")))
            .as("GET /accounts/%s balance", a)
            .isEqualByComparingTo(cash);
        assertThat(ledgerSum(a)).as("ledger sum of %s", a).isEqualByComparingTo(cash);
        assertThat(balances.get(a + ":USD").getBalance())
            .as("balances topic %s", a)
            .isEqualByComparingTo(cash);
        String cachedBalance = redis.hget(Names.accountKey(a), "balance");
        assertThat(cachedBalance).as("Redis %s", a).isNotNull();
        assertThat(new BigDecimal(cachedBalance)).as("Redis %s", a).isEqualByComparingTo(cash);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> viewPositions = (List<Map<String, Object>>) view.get("positions");
        Map<String, Map<String, Object>> bySymbol = new HashMap<>();
        viewPositions.forEach(p -> bySymbol.put((String) p.get("symbol"), p));
        assertThat(bySymbol.keySet())
            .as("symbols of %s", a)
            .isEqualTo(e.getValue().positions().keySet());
        for (Map.Entry<String, Pos> p : e.getValue().positions().entrySet()) {
          Pos want = p.getValue();
          Map<String, Object> got = bySymbol.get(p.getKey());
          String what = a + " " + p.getKey();
          assertThat(new BigDecimal((String) got.get("quantity")))
              .as("quantity %s", what)
              .isEqualByComparingTo(want.quantity());
          assertThat(new BigDecimal((String) got.get("avg_price")))
              .as("avg %s", what)
              .isEqualByComparingTo(want.avgPrice());
          assertThat(new BigDecimal((String) got.get("realized_pnl")))
              .as("realized %s", what)
              .isEqualByComparingTo(want.realized());
          assertThat(new BigDecimal((String) got.get("fees")))
              .as("fees %s", what)
              .isEqualByComparingTo(want.fees());
          Position topic = positions.get(a + ":" + p.getKey());
          assertThat(topic.getQuantity())
              .as("positions topic %s", what)
              .isEqualByComparingTo(want.quantity());
          assertThat(topic.getRealizedPnl())
              .as("positions topic realized %s", what)
              .isEqualByComparingTo(want.realized());
          Map<String, String> cached = redis.hgetAll(Names.positionKey(a, p.getKey()));
          assertThat(cached).as("Redis position %s", what).containsKeys("quantity", "avg_price");
          assertThat(new BigDecimal(cached.get("quantity")))
              .as("Redis position %s", what)
              .isEqualByComparingTo(want.quantity());
          assertThat(new BigDecimal(cached.get("avg_price")))
              .as("Redis avg %s", what)
              .isEqualByComparingTo(want.avgPrice());
        }
      }
    }
    assertThat(mismatches()).as("balances equal the ledger").isZero();
  }

  /** Accepted decisions never left free margin below zero. */
  static void assertMarginNeverNegative(List<OrderDecision> decisions) {
    assertThat(decisions.stream().filter(d -> d.getStatus() == DecisionStatus.ACCEPTED))
        .isNotEmpty()
        .allSatisfy(
            d -> assertThat(d.getFreeMarginAfter().signum()).as(d.getOrderId()).isNotNegative());
  }

  /** No account has an order open or cash in flight, and each view is stable on two reads. */
  boolean quiet() throws Exception {
    for (String a : accounts) {
      Map<String, Object> v = account(a);
      if (!Integer.valueOf(0).equals(v.get("open_orders"))) {
        return false;
      }
      if (new BigDecimal((String) v.get("balance")).compareTo(ledgerSum(a)) != 0) {
        return false;
      }
    }
    return true;
  }
}
