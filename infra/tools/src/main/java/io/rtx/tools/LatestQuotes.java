package io.rtx.tools;

import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest quote of each symbol as market.quotes has it (what the order path prices with), read
 * from the beginning of the compacted topic and followed in the background, so limit orders sit
 * near the market the gateway sees. Until a symbol has a quote, or if the cluster cannot be read,
 * its start price stands in.
 */
final class LatestQuotes implements OrderFlow.Prices, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LatestQuotes.class);

  private final Map<String, Tick> latest = new ConcurrentHashMap<>();
  private final KafkaConsumer<String, Tick> consumer;
  private final Thread reader;
  private volatile boolean closed;

  /**
   * @param client Kafka client settings (bootstrap servers and the like)
   */
  LatestQuotes(Properties client, String registryUrl) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    this.consumer =
        new KafkaConsumer<>(
            p, new StringDeserializer(), RegistrySerdes.<Tick>value(registryUrl).deserializer());
    this.reader = new Thread(this::follow, "latest-quotes");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public long midTicks(Instrument instrument) {
    Tick t = latest.get(instrument.symbol());
    if (t == null) {
      return instrument.startTicks();
    }
    return t.getBid()
        .add(t.getAsk())
        .divide(BigDecimal.valueOf(2))
        .movePointRight(instrument.decimals())
        .setScale(0, RoundingMode.HALF_EVEN)
        .longValueExact();
  }

  private void follow() {
    String topic = Topics.MARKET_QUOTES.name();
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!closed) {
        // a compacted topic may still hold older quotes before the newest: keep the highest seq
        consumer
            .poll(Duration.ofMillis(500))
            .forEach(
                r -> {
                  if (r.value() != null) {
                    latest.merge(r.key(), r.value(), (a, b) -> b.getSeq() >= a.getSeq() ? b : a);
                  }
                });
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.warn("cannot read {}; limit prices stay near the start prices: {}", topic, e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    reader.join(2000);
  }
}
