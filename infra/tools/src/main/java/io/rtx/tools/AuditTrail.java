package io.rtx.tools;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.rtx.common.GenericRows;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The ledger's audit trail as Debezium writes it to {@code ledger.audit}: each change of {@code
 * transactions.ledger} with its operation, row image, source LSN, database transaction id and
 * commit time, decoded through the registry.
 */
public final class AuditTrail {

  /** One change of the ledger. {@code op}: c insert, r snapshot read (u/d cannot happen). */
  public record Entry(
      long offset,
      String op,
      String entryId,
      String transactionId,
      String accountId,
      String currency,
      BigDecimal amount,
      String kind,
      String reference,
      long lsn,
      long txId,
      Instant committed) {

    /** One line for people. */
    public String line() {
      return String.format(
          "%s  %-2s lsn=%-12d tx=%-8d %-10s %-12s %18s %s  %s  %s%s",
          committed,
          op,
          lsn,
          txId,
          kind,
          accountId,
          (amount.signum() > 0 ? "+" : "") + amount.stripTrailingZeros().toPlainString(),
          currency,
          transactionId,
          entryId,
          reference == null ? "" : "  ref=" + reference);
    }
  }

  private AuditTrail() {}

  /**
   * Every entry from {@code since} (by record time; null for the beginning) to the end of the topic
   * as it is now, that {@code filter} accepts, in commit order.
   */
  public static List<Entry> read(
      String bootstrap, String registryUrl, Instant since, Predicate<Entry> filter) {
    List<Entry> out = new ArrayList<>();
    read(
        bootstrap,
        registryUrl,
        since,
        e -> {
          if (filter.test(e)) {
            out.add(e);
          }
        });
    return out;
  }

  public static void read(
      String bootstrap, String registryUrl, Instant since, Consumer<Entry> sink) {
    try (KafkaConsumer<Object, Object> consumer = consumer(bootstrap, registryUrl)) {
      List<TopicPartition> partitions = assignAll(consumer);
      if (since == null) {
        consumer.seekToBeginning(partitions);
      } else {
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(p -> at.put(p, since.toEpochMilli()));
        consumer
            .offsetsForTimes(at)
            .forEach(
                (p, o) -> {
                  if (o == null) {
                    consumer.seekToEnd(List.of(p));
                  } else {
                    consumer.seek(p, o.offset());
                  }
                });
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        poll(consumer, sink);
      }
    }
  }

  /**
   * New entries as they arrive, from the end of the topic on, until {@code running} turns false.
   */
  public static void follow(
      String bootstrap, String registryUrl, AtomicBoolean running, Consumer<Entry> sink) {
    try (KafkaConsumer<Object, Object> consumer = consumer(bootstrap, registryUrl)) {
      List<TopicPartition> partitions = assignAll(consumer);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // pin "the end" now, before anything is written
      while (running.get()) {
        poll(consumer, sink);
      }
    }
  }

  private static KafkaConsumer<Object, Object> consumer(String bootstrap, String registryUrl) {
    Map<String, Object> config = new HashMap<>(RegistrySerdes.config(registryUrl));
    config.put("apicurio.registry.use-specific-avro-reader", "false");
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    AvroKafkaDeserializer<Object> keys = new AvroKafkaDeserializer<>();
    AvroKafkaDeserializer<Object> values = new AvroKafkaDeserializer<>();
    keys.configure(config, true);
    values.configure(config, false);
    return new KafkaConsumer<>(config, keys, values);
  }

  private static List<TopicPartition> assignAll(KafkaConsumer<Object, Object> consumer) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.LEDGER_AUDIT.name()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    return partitions;
  }

  private static void poll(KafkaConsumer<Object, Object> consumer, Consumer<Entry> sink) {
    for (ConsumerRecord<Object, Object> r : consumer.poll(Duration.ofMillis(100))) {
      if (r.value() instanceof GenericRecord event) {
        sink.accept(decode(r.offset(), event));
      }
    }
  }

  /** A Debezium change event of transactions.ledger, read field by field. */
  static Entry decode(long offset, GenericRecord event) {
    GenericRecord row =
        (GenericRecord) (event.get("after") != null ? event.get("after") : event.get("before"));
    GenericRecord source = (GenericRecord) event.get("source");
    return new Entry(
        offset,
        GenericRows.text(event, "op"),
        GenericRows.text(row, "entry_id"),
        GenericRows.text(row, "transaction_id"),
        GenericRows.text(row, "account_id"),
        GenericRows.text(row, "currency"),
        GenericRows.decimal(row, "amount"),
        GenericRows.text(row, "kind"),
        GenericRows.text(row, "reference"),
        ((Number) source.get("lsn")).longValue(),
        ((Number) source.get("txId")).longValue(),
        Instant.ofEpochMilli(((Number) source.get("ts_ms")).longValue()));
  }
}
