package io.rtx.orders;

import io.rtx.common.Settings;
import io.rtx.schemas.AccountBalance;
import io.rtx.schemas.Names;
import io.rtx.schemas.Position;
import io.rtx.schemas.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Keeps Redis up to date for dashboards: {@code account:{ID}} (currency, balance, reserved,
 * version, updated_at) and {@code position:{ID}:{SYMBOL}} (quantity, avg_price, realized_pnl, fees,
 * version, updated_at), from the committed {@code balances} and {@code positions} topics. A write
 * lands only if its version is newer than the stored one, so a replay or a late record never goes
 * back in time. Offsets are committed after Redis took the batch: a restart re-applies, harmlessly.
 */
final class AccountCache implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AccountCache.class);

  /** KEYS[1] hash; ARGV[1] version; ARGV[2..] field, value pairs (version among them). */
  static final String SCRIPT =
      """
      local stored = redis.call('HGET', KEYS[1], 'version')
      if stored and tonumber(stored) >= tonumber(ARGV[1]) then return 0 end
      redis.call('HSET', KEYS[1], unpack(ARGV, 2))
      return 1
      """;

  private final RedisClient redis;
  private final KafkaConsumer<String, byte[]> consumer;
  private final OrderSerdes serdes;
  private final Thread thread;
  private volatile boolean running = true;

  AccountCache(Settings settings, URI redisUrl, OrderSerdes serdes) {
    this.serdes = serdes;
    this.redis =
        RedisClient.builder()
            .hostAndPort(JedisURIHelper.getHostAndPort(redisUrl))
            .clientConfig(DefaultJedisClientConfig.builder(redisUrl).timeoutMillis(2000).build())
            .build();
    Properties c = settings.withPrefix("kafka.");
    c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.get("kafka.application.id") + "-cache");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(Topics.BALANCES.name(), Topics.POSITIONS.name()));
    thread = new Thread(this::run, "orders-account-cache");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long backoff = 100;
    while (running) {
      try {
        ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
        if (refillLost()) {
          continue;
        }
        for (ConsumerRecord<String, byte[]> r : batch) {
          write(r);
        }
        if (!batch.isEmpty()) {
          consumer.commitSync();
        }
        backoff = 100;
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        // Redis or Kafka away: start over from the last commit once it is back
        log.warn("account cache: {}; retrying in {} ms", e.toString(), backoff);
        sleep(backoff);
        rewind();
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  /**
   * Redis keeps nothing on disk: a restarted (or new) Redis has lost what this cache wrote, and
   * nothing newer may come for an idle account. Each partition filled leaves a marker key; when an
   * assigned partition has none, the cache starts again from the beginning of every partition it
   * has (the topics are compacted: the latest record of every key). Returns whether it did.
   */
  private boolean refillLost() {
    List<TopicPartition> assigned = List.copyOf(consumer.assignment());
    if (assigned.isEmpty()) {
      return false;
    }
    String[] markers = assigned.stream().map(AccountCache::marker).toArray(String[]::new);
    if (!redis.mget(markers).contains(null)) {
      return false;
    }
    // all of them, the batch just polled included: it is dropped
    log.info("account cache: Redis lost what it held; filling it again from the start");
    for (String marker : markers) {
      redis.set(marker, "filled");
    }
    consumer.seekToBeginning(assigned);
    return true;
  }

  /** The key that says Redis holds what this cache wrote from {@code p}. */
  static String marker(TopicPartition p) {
    return "rtx:account-cache:" + p.topic() + ":" + p.partition();
  }

  /** Back to the last committed offsets; if Kafka cannot say, the next failure tries again. */
  private void rewind() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
      for (TopicPartition p : consumer.assignment()) {
        OffsetAndMetadata at = committed.get(p);
        consumer.seek(p, at == null ? 0 : at.offset());
      }
    } catch (WakeupException e) {
      // closing: the loop sees running false
    } catch (RuntimeException e) {
      log.warn("account cache: cannot read its committed offsets yet: {}", e.toString());
    }
  }

  private void write(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    List<String> args = new ArrayList<>();
    String key;
    if (r.topic().equals(Topics.BALANCES.name())) {
      AccountBalance b = serdes.balance().deserializer().deserialize(r.topic(), r.value());
      key = Names.accountKey(b.getAccountId());
      args.addAll(
          List.of(
              Long.toString(b.getVersion()),
              "currency",
              b.getCurrency(),
              "balance",
              b.getBalance().toPlainString(),
              "reserved",
              b.getReserved().toPlainString(),
              "version",
              Long.toString(b.getVersion()),
              "updated_at",
              b.getUpdatedAt().toString()));
    } else {
      Position p = serdes.position().deserializer().deserialize(r.topic(), r.value());
      key = Names.positionKey(p.getAccountId(), p.getSymbol());
      args.addAll(
          List.of(
              Long.toString(p.getVersion()),
              "quantity",
              p.getQuantity().toPlainString(),
              "avg_price",
              p.getAvgPrice().toPlainString(),
              "realized_pnl",
              p.getRealizedPnl().toPlainString(),
              "fees",
              p.getFees() == null ? "0" : p.getFees().toPlainString(),
              "version",
              Long.toString(p.getVersion()),
              "updated_at",
              p.getUpdatedAt().toString()));
    }
    redis.eval(SCRIPT, List.of(key), args);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close();
    redis.close();
  }
}
