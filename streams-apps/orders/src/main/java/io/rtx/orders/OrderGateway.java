package io.rtx.orders;

import io.rtx.common.HttpError;
import io.rtx.common.Request;
import io.rtx.common.Response;
import io.rtx.common.Settings;
import io.rtx.schemas.Order;
import io.rtx.schemas.OrderDecision;
import io.rtx.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /orders}: checks the request's shape, publishes the order to {@code orders.submitted}
 * (keyed by account, like an upstream system would), and answers with its decision once the risk
 * step has committed it, or 202 with the order id after {@code orders.http.wait}. It watches {@code
 * orders.decisions} itself (read_committed, every partition), so any instance answers for any
 * account: the decision is the same one a direct publisher gets.
 */
final class OrderGateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OrderGateway.class);

  /** What POST /orders answers once decided. */
  record DecisionView(
      String orderId,
      String accountId,
      String symbol,
      String status,
      List<String> reasons,
      java.math.BigDecimal reservedMargin,
      java.math.BigDecimal freeMarginAfter,
      String currency,
      java.time.Instant decidedAt) {
    static DecisionView of(OrderDecision d) {
      return new DecisionView(
          d.getOrderId(),
          d.getAccountId(),
          d.getSymbol(),
          d.getStatus().name(),
          d.getReasons().stream().map(Enum::name).toList(),
          d.getReservedMargin(),
          d.getFreeMarginAfter(),
          d.getCurrency(),
          d.getDecidedAt());
    }
  }

  private final OrderSettings settings;
  private final KafkaProducer<String, Order> producer;
  private final KafkaConsumer<String, OrderDecision> decisions;
  private final Map<String, CompletableFuture<OrderDecision>> waiting = new ConcurrentHashMap<>();
  private final Thread watcher;
  private final Clock clock;
  private volatile boolean running = true;

  OrderGateway(Settings settings, OrderSettings orders, OrderSerdes serdes, Clock clock) {
    this.settings = orders;
    this.clock = clock;
    Properties p = settings.withPrefix("kafka.");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    producer = new KafkaProducer<>(p, new StringSerializer(), serdes.order().serializer());
    Properties c = settings.withPrefix("kafka.");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Kafka's long poll (fetch.max.wait.ms 500): the broker answers as soon as a transaction's
    // markers make decisions readable, and an idle gateway sends two fetches a second, not 150
    decisions = new KafkaConsumer<>(c, new StringDeserializer(), serdes.decision().deserializer());
    List<TopicPartition> partitions =
        decisions.partitionsFor(Topics.ORDER_DECISIONS.name()).stream()
            .map(i -> new TopicPartition(i.topic(), i.partition()))
            .toList();
    decisions.assign(partitions);
    decisions.seekToEnd(partitions);
    partitions.forEach(decisions::position); // fix "the end" now: decisions from here on count
    watcher = new Thread(this::watch, "orders-gateway-decisions");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void watch() {
    try {
      while (running) {
        for (ConsumerRecord<String, OrderDecision> r : decisions.poll(Duration.ofMillis(200))) {
          OrderDecision d = r.value();
          if (d != null) {
            CompletableFuture<OrderDecision> f = waiting.remove(d.getOrderId());
            if (f != null) {
              f.complete(d);
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("the decision watcher stopped; POST /orders answers 202 until restart", e);
    }
  }

  /**
   * {@code POST /orders}: answered when the decision comes (or the wait is over), holding no server
   * thread while it waits.
   */
  Response submit(Request request) {
    Order order = request.json(OrderRequest.class).toOrder(clock.instant());
    String id = order.getOrderId();
    CompletableFuture<OrderDecision> decided = new CompletableFuture<>();
    waiting.put(id, decided);
    producer.send(
        new ProducerRecord<>(Topics.ORDERS.name(), order.getAccountId(), order),
        (metadata, e) -> {
          if (e != null) {
            decided.completeExceptionally(
                new HttpError(503, "could not publish the order: " + e.getMessage()));
          }
        });
    return Response.later(
        decided
            .completeOnTimeout(null, settings.httpWait().toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((d, e) -> waiting.remove(id, decided))
            .thenApply(
                d ->
                    d == null
                        ? Response.json(202, Map.of("order_id", id, "status", "PENDING"))
                        : Response.json(200, DecisionView.of(d))));
  }

  @Override
  public void close() {
    running = false;
    decisions.wakeup();
    try {
      watcher.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    decisions.close();
    producer.close(Duration.ofSeconds(5));
  }
}
