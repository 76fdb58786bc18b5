package io.rtx.tools;

import io.rtx.launcher.Secrets;
import io.rtx.ledger.BackOffice;
import io.rtx.ledger.Pii;
import io.rtx.ledger.ReferenceData;
import io.rtx.ledger.ReferenceData.AccountSpec;
import io.rtx.ledger.ReferenceData.UserSpec;
import io.rtx.schemas.Component;
import io.rtx.schemas.Order;
import io.rtx.schemas.OrderDecision;
import io.rtx.schemas.OrderType;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Side;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The order path under load, with exactly-once on and the simulated venue filling what is accepted
 * (so fills, positions and ledger bookings run too): order published → decision readable
 * (read_committed) at a steady rate; decisions per second on a backlog; the account query.
 */
final class OrdersBench implements AutoCloseable {

  static final int ACCOUNTS = 100;
  private static final List<String> SYMBOLS = List.of("EURUSD", "GBPUSD", "XAUUSD", "BTCUSD");

  private final LocalStack stack;
  private final KafkaProducer<String, Order> producer;
  private final AtomicBoolean ticking = new AtomicBoolean(true);
  private Thread ticks;

  OrdersBench(LocalStack stack) {
    this.stack = stack;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    producer =
        new KafkaProducer<>(
            p,
            new StringSerializer(),
            RegistrySerdes.<Order>value(stack.registryUrl()).serializer());
  }

  /** Reference data, {@link #ACCOUNTS} funded accounts, and a tick feed for the quotes. */
  void setUp() throws Exception {
    PGSimpleDataSource bo = new PGSimpleDataSource();
    bo.setURL(stack.jdbcUrl());
    bo.setUser(Secrets.Role.BACKOFFICE.roleName());
    bo.setPassword(stack.settings().secrets().password(Secrets.Role.BACKOFFICE));
    ReferenceData ref = new ReferenceData(bo, Pii.fromKey(stack.settings().secrets().piiKey()));
    BackOffice backOffice = new BackOffice(bo);
    SeedCommand.seed(ref, backOffice, 0, "bench");
    for (int i = 0; i < ACCOUNTS; i++) {
      String account = account(i);
      ref.user(
          new UserSpec(
              account.toLowerCase(java.util.Locale.ROOT), "trader", null, null, null, "ACTIVE"),
          "bench");
      ref.account(
          new AccountSpec(
              account,
              account.toLowerCase(java.util.Locale.ROOT),
              "CLIENT",
              "USD",
              new BigDecimal("30"),
              "ACTIVE",
              null,
              null,
              null),
          "bench");
      backOffice.deposit(account, "1000000", "USD", "bench", "bench", "BENCH-DEP-" + account);
    }
    ticks =
        SimulateCommand.wallClockFeed(
            stack.bootstrapServers(), stack.registryUrl(), SYMBOLS, "BENCH", 500, ticking);
    // the last account's deposit has come back through Debezium: reference data and cash are in
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline && !funded(account(ACCOUNTS - 1))) {
      Thread.sleep(1_000);
    }
    Thread.sleep(3_000);
  }

  private boolean funded(String account) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              stack.settings().httpUrl(Component.ORDERS) + "/accounts/" + account))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"balance\":\"1000000.00000000\"");
    } catch (Exception e) {
      return false;
    }
  }

  static String account(int i) {
    return String.format("BENCH-%03d", i);
  }

  /** A started thread handing every decision read to {@code onDecision}, given 2 s to join. */
  private Thread watch(String name, AtomicBoolean running, Consumer<OrderDecision> onDecision)
      throws InterruptedException {
    Thread watcher = new Thread(() -> decisions(running, onDecision), name);
    watcher.start();
    Thread.sleep(2_000);
    return watcher;
  }

  /**
   * Decision latencies in ms, split at the decision's {@code decided_at} (when the orders app
   * decided: published → decided, then decided → readable, which is mostly the wait for its
   * transaction to commit), and how long the warm-up's orders took to be decided once sent (the
   * measured orders start on an empty queue) or how many were still undecided after two minutes.
   */
  record Latency(
      Histogram millis,
      Histogram toDecided,
      Histogram toReadable,
      Duration drained,
      int undecided) {}

  /** When an order was published: for the latency (nanos) and against decided_at (wall ms). */
  private record Sent(long nanos, long wallMillis) {}

  /**
   * Published → decision readable, in ms, for {@code duration} at {@code rate} orders/s, after a
   * warm-up at that rate whose orders are all decided first: a backlog left by the JIT's first
   * minute would otherwise be measured as the steady state's latency.
   */
  Latency decisionLatency(int rate, Duration warmUp, Duration duration) throws Exception {
    // resizing histograms: a backlog must not break the count
    Histogram latency = new Histogram(3);
    Histogram toDecided = new Histogram(3);
    Histogram toReadable = new Histogram(3);
    Map<String, Sent> sentAt = new ConcurrentHashMap<>();
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread watcher =
        watch(
            "bench-decisions",
            running,
            d -> {
              Sent sent = sentAt.remove(d.getOrderId());
              if (sent != null && measuring.get()) {
                long decided = d.getDecidedAt().toEpochMilli();
                latency.recordValue(Math.max(0, (System.nanoTime() - sent.nanos()) / 1_000_000));
                toDecided.recordValue(Math.max(0, decided - sent.wallMillis()));
                toReadable.recordValue(Math.max(0, System.currentTimeMillis() - decided));
              }
            });
    send(rate, warmUp, sentAt);
    long warmedAt = System.nanoTime();
    awaitDecided(sentAt, Duration.ofMinutes(2));
    Duration drained = Duration.ofNanos(System.nanoTime() - warmedAt);
    int undecided = sentAt.size();
    sentAt.clear();
    Thread.sleep(1_000);
    measuring.set(true);
    send(rate, duration, sentAt);
    awaitDecided(sentAt, Duration.ofSeconds(30));
    running.set(false);
    watcher.join(5_000);
    return new Latency(latency, toDecided, toReadable, drained, undecided);
  }

  /** Waits until every order sent is decided, or {@code limit} has passed. */
  private static void awaitDecided(Map<String, Sent> sentAt, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  /**
   * Orders/s decided: {@code count} orders published at once, until the last decision is readable.
   */
  double throughput(int count) throws Exception {
    AtomicLong decided = new AtomicLong();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread watcher =
        watch(
            "bench-throughput",
            running,
            d -> {
              if (sentAt.remove(d.getOrderId()) != null) {
                decided.incrementAndGet();
              }
            });
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Order o = order(i);
      sentAt.put(o.getOrderId(), System.nanoTime());
      producer.send(new ProducerRecord<>(Topics.ORDERS.name(), o.getAccountId(), o));
    }
    producer.flush();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (decided.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    running.set(false);
    watcher.join(5_000);
    return decided.get() / seconds;
  }

  /** Round trips of the account query, and the queries that failed or did not answer in time. */
  record Queries(Histogram micros, int failed) {}

  /**
   * {@code GET /accounts/{id}} round trips in microseconds, one connection, after a warm-up; a
   * query that fails or takes over 5 s is counted, not timed.
   */
  Queries accountQueries(int count) throws Exception {
    Histogram latency = new Histogram(10_000_000, 3);
    int failed = 0;
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = stack.settings().httpUrl(Component.ORDERS) + "/accounts/";
    for (int i = 0; i < count + count / 10; i++) {
      HttpRequest r =
          HttpRequest.newBuilder(URI.create(base + account(i % ACCOUNTS)))
              .timeout(Duration.ofSeconds(5))
              .build();
      long t0 = System.nanoTime();
      try {
        if (client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
          failed++;
          continue;
        }
      } catch (java.io.IOException e) {
        failed++;
        continue;
      }
      if (i >= count / 10) {
        latency.recordValue((System.nanoTime() - t0) / 1_000);
      }
    }
    return new Queries(latency, failed);
  }

  private long seq;

  /** A small market order of one of the accounts, round robin: margin for every one of them. */
  private Order order(long i) {
    String symbol = SYMBOLS.get((int) (i % 2)); // the FX pairs: lots of 1,000
    return Order.newBuilder()
        .setOrderId("BENCH-" + System.nanoTime() + "-" + (seq++))
        .setAccountId(account((int) (i % ACCOUNTS)))
        .setSymbol(symbol)
        .setSide(i % 2 == 0 ? Side.BUY : Side.SELL)
        .setOrderType(OrderType.MARKET)
        .setQuantity(new BigDecimal("1000.00000000"))
        .setLimitPrice(null)
        .setSubmittedAt(Instant.now())
        .build();
  }

  private void send(int rate, Duration duration, Map<String, Sent> sentAt) {
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    long end = next + duration.toNanos();
    for (long i = 0; System.nanoTime() < end; i++) {
      Order o = order(i);
      sentAt.put(o.getOrderId(), new Sent(System.nanoTime(), System.currentTimeMillis()));
      producer.send(new ProducerRecord<>(Topics.ORDERS.name(), o.getAccountId(), o));
      next += interval;
      LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
    }
  }

  private void decisions(AtomicBoolean running, Consumer<OrderDecision> sink) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, OrderDecision> consumer =
        new KafkaConsumer<>(
            c,
            new StringDeserializer(),
            RegistrySerdes.<OrderDecision>value(stack.registryUrl()).deserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(Topics.ORDER_DECISIONS.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position);
      while (running.get()) {
        for (ConsumerRecord<String, OrderDecision> r : consumer.poll(Duration.ofMillis(100))) {
          sink.accept(r.value());
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    ticking.set(false);
    if (ticks != null) {
      ticks.join(10_000);
    }
    producer.close();
  }
}
