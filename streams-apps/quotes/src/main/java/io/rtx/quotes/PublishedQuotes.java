package io.rtx.quotes;

import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest tick of every symbol as published on market.quotes (compacted), read from the start of
 * each partition to its end: what a Redis that lost its quotes is filled with again ({@link
 * QuoteCache}).
 */
final class PublishedQuotes implements Supplier<List<Tick>> {

  private static final Logger log = LoggerFactory.getLogger(PublishedQuotes.class);

  private final Properties kafka;
  private final Deserializer<Tick> ticks;
  private final Duration timeout;

  /**
   * @param kafka the app's {@code kafka.*} settings; group settings are dropped (partitions are
   *     assigned, nothing is committed)
   */
  PublishedQuotes(Properties kafka, Deserializer<Tick> ticks, Duration timeout) {
    this.kafka = new Properties();
    this.kafka.putAll(kafka);
    this.kafka.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.kafka.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    this.kafka.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.ticks = ticks;
    this.timeout = timeout;
  }

  /**
   * @throws TimeoutException if the topic is not read to its end within the timeout
   */
  @Override
  public List<Tick> get() {
    String topic = Topics.MARKET_QUOTES.name();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(kafka, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      NewestTicks newest = new NewestTicks();
      while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(topic + " not read to its end within " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            continue;
          }
          try {
            newest.add(ticks.deserialize(topic, r.headers(), r.value()));
          } catch (SerializationException e) {
            // the app writes every record here itself: an unreadable one is left where it is
            log.warn(
                "{}-{}@{} unreadable, skipped: {}", topic, r.partition(), r.offset(), e.toString());
          }
        }
      }
      return newest.values();
    }
  }
}
