package io.rtx.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rtx.schemas.Candle;
import io.rtx.schemas.Names;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The two end-to-end delays of the market-data path, measured as a client sees them:
 *
 * <ul>
 *   <li><b>tick → quote</b>: each quote message on the Redis channels {@code quotes:*}, received
 *       here, against its tick's event time ({@code ts}); meaningful when ticks carry the time they
 *       were sent (the simulator's live feed does);
 *   <li><b>candle close delay</b>: each final 1s candle on {@code market.candles}, readable here
 *       ({@code read_committed}), against the end of its window (the candles app's grace included).
 * </ul>
 *
 * Each goes to a Prometheus histogram ({@code rtx_tick_to_quote_seconds}, {@code
 * rtx_candle_close_delay_seconds}) and to an interval histogram the poller drains into each
 * snapshot. Neither probe commits anything or joins a consumer group.
 */
public final class PipelineProbe implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineProbe.class);
  private static final Pattern TS = Pattern.compile("\"ts\":(\\d+)");
  private static final long HIGHEST_MS = TimeUnit.HOURS.toMillis(1);

  /** Percentiles of one interval, in milliseconds; zeros and count 0 when nothing was seen. */
  record Figures(long count, BigDecimal p50Ms, BigDecimal p99Ms, BigDecimal maxMs) {
    static final Figures NONE = new Figures(0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    static Figures of(Histogram h) {
      if (h.getTotalCount() == 0) {
        return NONE;
      }
      return new Figures(
          h.getTotalCount(),
          BigDecimal.valueOf(h.getValueAtPercentile(50)),
          BigDecimal.valueOf(h.getValueAtPercentile(99)),
          BigDecimal.valueOf(h.getMaxValue()));
    }
  }

  /** One probe's two sinks: the Prometheus histogram and the interval the poller drains. */
  private static final class Delay {
    private final Timer timer;
    private final Recorder interval = new Recorder(HIGHEST_MS, 3);
    private Histogram recycled;

    Delay(MeterRegistry registry, String name, String description) {
      timer =
          Timer.builder(name)
              .description(description)
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofMinutes(1))
              .register(registry);
    }

    void record(long ms) {
      long clamped = Math.max(0, Math.min(ms, HIGHEST_MS));
      timer.record(clamped, TimeUnit.MILLISECONDS);
      interval.recordValue(clamped);
    }

    synchronized Figures drain() {
      recycled = interval.getIntervalHistogram(recycled);
      return Figures.of(recycled);
    }
  }

  private final OpsSettings settings;
  private final LongSupplier clock;
  private final Delay tickToQuote;
  private final Delay candleClose;
  private final Thread redisThread;
  private final Thread kafkaThread;
  private volatile JedisPubSub pubSub;
  private volatile KafkaConsumer<String, Candle> consumer;
  private volatile boolean closed;

  PipelineProbe(OpsSettings settings, MeterRegistry registry, LongSupplier clock) {
    this.settings = settings;
    this.clock = clock;
    this.tickToQuote =
        new Delay(
            registry,
            "rtx.tick.to.quote",
            "Tick event time to its quote message received from Redis (quotes:*)");
    this.candleClose =
        new Delay(
            registry,
            "rtx.candle.close.delay",
            "End of a 1s window to its final candle readable on market.candles (grace included)");
    this.redisThread = new Thread(this::subscribeQuotes, "rtx-ops-quote-probe");
    this.kafkaThread = new Thread(this::readCandles, "rtx-ops-candle-probe");
    redisThread.setDaemon(true);
    kafkaThread.setDaemon(true);
  }

  void start() {
    redisThread.start();
    kafkaThread.start();
  }

  /** Tick → quote since the previous call. */
  Figures tickToQuote() {
    return tickToQuote.drain();
  }

  /** Candle close delay since the previous call. */
  Figures candleClose() {
    return candleClose.drain();
  }

  private void subscribeQuotes() {
    retrying(
        "Redis quote channels",
        () -> {
          JedisPubSub sub = quoteAges(clock, tickToQuote::record);
          pubSub = sub;
          try (Jedis jedis =
              new Jedis(
                  JedisURIHelper.getHostAndPort(settings.redisUrl()),
                  DefaultJedisClientConfig.builder()
                      .user(JedisURIHelper.getUser(settings.redisUrl()))
                      .password(JedisURIHelper.getPassword(settings.redisUrl()))
                      .ssl(JedisURIHelper.isRedisSSLScheme(settings.redisUrl()))
                      .build())) {
            jedis.psubscribe(sub, Names.QUOTE_CHANNEL_PREFIX + "*");
          }
        });
  }

  /**
   * A subscriber (to {@code PSUBSCRIBE quotes:*}) that hands each quote message's age to {@code
   * ageMs}: {@code clock} now − its tick's {@code ts}, in milliseconds. The bench measures tick →
   * quote with it too.
   */
  public static JedisPubSub quoteAges(LongSupplier clock, LongConsumer ageMs) {
    return new JedisPubSub() {
      @Override
      public void onPMessage(String pattern, String channel, String message) {
        Matcher m = TS.matcher(message);
        if (m.find()) {
          ageMs.accept(clock.getAsLong() - Long.parseLong(m.group(1)));
        }
      }
    };
  }

  private void readCandles() {
    Properties p = new Properties();
    p.putAll(settings.kafka());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "rtx-ops-candle-probe");
    retrying(
        "market.candles",
        () -> {
          try (KafkaConsumer<String, Candle> c =
              new KafkaConsumer<>(
                  p,
                  new StringDeserializer(),
                  RegistrySerdes.<Candle>value(settings.registryUrl()).deserializer())) {
            consumer = c;
            String topic = Topics.MARKET_CANDLES.name();
            List<TopicPartition> partitions =
                c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            if (partitions.isEmpty()) {
              throw new IllegalStateException("no topic " + topic + " yet");
            }
            c.assign(partitions);
            c.seekToEnd(partitions); // only candles closed from now on
            while (!closed) {
              for (ConsumerRecord<String, Candle> r : c.poll(Duration.ofSeconds(1))) {
                Candle candle = r.value();
                if (candle != null && candle.getIsFinal() && "1s".equals(candle.getInterval())) {
                  long windowEnd = candle.getBucketStart().toEpochMilli() + 1_000;
                  candleClose.record(clock.getAsLong() - windowEnd);
                }
              }
            }
          } finally {
            consumer = null;
          }
        });
  }

  /** Runs {@code body} until closed, again after each failure (logged once per outage). */
  private void retrying(String what, Runnable body) {
    boolean failing = false;
    while (!closed) {
      try {
        body.run();
      } catch (WakeupException | InterruptException e) {
        return;
      } catch (JedisException | org.apache.kafka.common.KafkaException | IllegalStateException e) {
        if (closed) {
          return;
        }
        if (!failing) {
          log.warn("probe of {} cannot read ({}); retrying every 5 s", what, e.toString());
          failing = true;
        }
      }
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    JedisPubSub sub = pubSub;
    if (sub != null && sub.isSubscribed()) {
      sub.punsubscribe();
    }
    KafkaConsumer<String, Candle> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    redisThread.interrupt();
    kafkaThread.interrupt();
  }
}
