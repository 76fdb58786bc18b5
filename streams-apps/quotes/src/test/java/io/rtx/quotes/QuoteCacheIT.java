package io.rtx.quotes;

import static io.rtx.quotes.Ticks.tick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.launcher.RedisUser;
import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import io.rtx.schemas.Tick;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** QuoteCache against a real redis-server: compare-and-set, pub/sub, concurrency and an outage. */
// Stops Redis mid-stream: a Redis of its own, never the developer's.
@UsesLocalStack(
    value = {Component.REDIS},
    isolated = true)
class QuoteCacheIT {

  private final LocalStack stack;

  QuoteCacheIT(LocalStack stack) {
    this.stack = stack;
  }

  private QuoteCache cache;

  @BeforeEach
  void setUp() {
    try (Jedis jedis = jedis()) {
      jedis.flushAll();
    }
    cache = new QuoteCache(settings());
  }

  private QuoteSettings settings() {
    return QuoteSettings.from(
        Map.of(
            QuoteSettings.REDIS_URL, stack.redisUri(RedisUser.QUOTES).toString(),
            QuoteSettings.REDIS_TIMEOUT, "1s",
            QuoteSettings.RETRY_BACKOFF_INITIAL, "5ms",
            QuoteSettings.RETRY_BACKOFF_MAX, "100ms"));
  }

  @AfterEach
  void tearDown() {
    cache.close();
  }

  @Test
  void keepsTheHigherSeqUnderOutOfOrderBatches() {
    assertThat(cache.publish(List.of(tick("EURUSD", 5), tick("GBPUSD", 2)))).isEqualTo(2);
    assertThat(cache.publish(List.of(tick("EURUSD", 3), tick("EURUSD", 4), tick("GBPUSD", 1))))
        .isZero();
    assertThat(cache.get("EURUSD")).contains(Quote.of(tick("EURUSD", 5)));
    assertThat(cache.get("GBPUSD")).contains(Quote.of(tick("GBPUSD", 2)));

    assertThat(cache.publish(List.of(tick("EURUSD", 7), tick("EURUSD", 6), tick("GBPUSD", 3))))
        .isEqualTo(2);
    assertThat(cache.get("EURUSD")).contains(Quote.of(tick("EURUSD", 7)));
    assertThat(cache.get("GBPUSD")).contains(Quote.of(tick("GBPUSD", 3)));
    assertThat(cache.get("USDJPY")).isEmpty();
  }

  @Test
  void aRestartedSequenceReplacesTheQuoteOnceDatedTheResetMarginAfterIt() {
    Tick before = tick("EURUSD", 1000);
    assertThat(cache.publish(List.of(before))).isEqualTo(1);
    assertThat(cache.publish(List.of(tick("EURUSD", 999)))).as("a late redelivery").isZero();

    // the publisher restarted: seq 1 again, dated RESET_AFTER after the stored quote
    Tick reset =
        Tick.newBuilder(tick("EURUSD", 1))
            .setTs(before.getTs().plus(QuoteVersion.RESET_AFTER))
            .build();
    assertThat(cache.publish(List.of(reset))).isEqualTo(1);
    assertThat(cache.get("EURUSD")).contains(Quote.of(reset));
    Tick next = Tick.newBuilder(tick("EURUSD", 2)).setTs(reset.getTs().plusMillis(1)).build();
    assertThat(cache.publish(List.of(next))).as("the new sequence goes on").isEqualTo(1);

    Tick jitter = Tick.newBuilder(tick("EURUSD", 1)).setTs(next.getTs().plusMillis(500)).build();
    assertThat(cache.publish(List.of(jitter))).as("lower seq, less than the margin later").isZero();
    assertThat(cache.publish(List.of(before))).as("a late tick of the old sequence").isZero();
    assertThat(cache.get("EURUSD")).contains(Quote.of(next));
  }

  @Test
  void equalSeqIsANoOp() {
    assertThat(cache.publish(List.of(tick("EURUSD", 5, "1.1", "1.2")))).isEqualTo(1);
    assertThat(cache.publish(List.of(tick("EURUSD", 5, "9.9", "9.9")))).isZero();
    assertThat(cache.get("EURUSD")).contains(Quote.of(tick("EURUSD", 5, "1.1", "1.2")));
  }

  @Test
  void comparesSeqsExactlyAsIntegers() {
    long twoPow53 = 1L << 53; // the first long a Lua number cannot tell from its successor
    cache.publish(List.of(tick("A", twoPow53, "1", "2"), tick("B", 9, "1", "2")));
    assertThat(cache.publish(List.of(tick("A", twoPow53 + 1, "3", "4"), tick("B", 10, "3", "4"))))
        .isEqualTo(2);
    assertThat(cache.get("A").orElseThrow().seq()).isEqualTo(twoPow53 + 1);
    assertThat(cache.get("B").orElseThrow().seq()).isEqualTo(10);
  }

  @Test
  void storesPlainDecimalStringsAndDropsSizesANewerTickLacks() {
    cache.publish(
        List.of(Ticks.withSizes(tick("EURUSD", 1, "1.0845", "1.0846"), "1000000", "500000.5")));
    try (Jedis jedis = jedis()) {
      assertThat(jedis.hgetAll(Names.quoteKey("EURUSD")))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "bid",
                  "1.08450000",
                  "ask",
                  "1.08460000",
                  "ts",
                  Long.toString(Ticks.T0.plusMillis(1).toEpochMilli()),
                  "seq",
                  "1",
                  "bid_size",
                  "1000000.00000000",
                  "ask_size",
                  "500000.50000000"));

      cache.publish(List.of(tick("EURUSD", 2, "1.0847", "1.0848")));
      assertThat(jedis.hgetAll(Names.quoteKey("EURUSD")))
          .doesNotContainKeys("bid_size", "ask_size")
          .containsEntry("bid", "1.08470000");
    }
  }

  @Test
  void fallsBackToEvalWhenRedisDoesNotKnowTheScript() {
    try (Jedis jedis = jedis()) {
      jedis.scriptFlush();
      assertThat(cache.publish(List.of(tick("EURUSD", 1), tick("GBPUSD", 1)))).isEqualTo(2);
      assertThat(jedis.scriptExists(QuoteCache.SCRIPT_SHA))
          .isTrue(); // EVAL cached it for the next EVALSHA
    }
    assertThat(cache.publish(List.of(tick("EURUSD", 2)))).isEqualTo(1);
  }

  @Test
  void subscribersReceiveExactlyTheAppliedQuotes() throws Exception {
    try (Subscriber sub = new Subscriber(Names.quoteChannel("EURUSD"))) {
      cache.publish(List.of(tick("EURUSD", 5)));
      cache.publish(List.of(tick("EURUSD", 3))); // older: rejected
      cache.publish(List.of(tick("EURUSD", 5, "9.9", "9.9"))); // redelivery: rejected
      cache.publish(List.of(tick("EURUSD", 7), tick("EURUSD", 6), tick("GBPUSD", 1)));
      cache.publish(List.of(tick("EURUSD", 8))); // last: once it is in, all earlier ones are

      List<String> expected =
          List.of(
              QuoteMessage.json(tick("EURUSD", 5)),
              QuoteMessage.json(tick("EURUSD", 7)),
              QuoteMessage.json(tick("EURUSD", 8)));
      await().atMost(Duration.ofSeconds(5)).until(() -> sub.messages.contains(expected.get(2)));
      assertThat(sub.messages).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void concurrentPublishersEndWithTheMaxSeq() throws Exception {
    int perThread = 1000;
    try (Subscriber sub = new Subscriber(Names.quoteChannel("EURUSD"))) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int parity = 0;
            parity < 2;
            parity++) { // even seqs on one thread, odd on the other, each shuffled
          int p = parity;
          List<Long> seqs =
              new ArrayList<>(
                  LongStream.rangeClosed(1, 2L * perThread)
                      .filter(s -> s % 2 == p)
                      .boxed()
                      .toList());
          Collections.shuffle(seqs, new Random(p));
          done.add(pool.submit(() -> seqs.forEach(s -> cache.publish(List.of(tick("EURUSD", s))))));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      long max = 2L * perThread;
      assertThat(cache.get("EURUSD")).contains(Quote.of(tick("EURUSD", max)));

      String last = QuoteMessage.json(tick("EURUSD", max));
      await().atMost(Duration.ofSeconds(5)).until(() -> sub.messages.contains(last));
      List<Long> published = sub.messages.stream().map(QuoteCacheIT::seqOf).toList();
      assertThat(published)
          .isSorted()
          .doesNotHaveDuplicates()
          .endsWith(max); // the channel never goes backwards
    }
  }

  @Test
  void survivesARedisRestartMidStreamAndEndsWithTheNewestQuotes() throws Exception {
    List<String> symbols = List.of("EURUSD", "GBPUSD", "USDJPY", "AUDUSD", "USDCHF");
    List<List<Tick>> batches = new ArrayList<>();
    for (long seq = 1; seq <= 100; seq += 2) { // every batch has two seqs of every symbol
      List<Tick> batch = new ArrayList<>();
      for (String s : symbols) {
        batch.add(tick(s, seq + 1));
        batch.add(tick(s, seq));
      }
      batches.add(batch);
    }
    CountDownLatch firstPartDone = new CountDownLatch(1);
    CountDownLatch serverStopped = new CountDownLatch(1);
    ExecutorService publisher = Executors.newSingleThreadExecutor();
    try {
      Future<?> stream =
          publisher.submit(
              () -> {
                for (int i = 0; i < batches.size(); i++) {
                  if (i == 10) {
                    firstPartDone.countDown();
                    serverStopped.await();
                  }
                  cache.publish(batches.get(i));
                }
                return null;
              });
      assertThat(firstPartDone.await(10, TimeUnit.SECONDS)).isTrue();
      stack.stop(Component.REDIS);
      serverStopped.countDown();
      Thread.sleep(300);
      assertThat(stream).as("publish waits while Redis is down").isNotDone();
      stack.ensure(List.of(Component.REDIS));

      stream.get(30, TimeUnit.SECONDS); // no exception escapes
    } finally {
      publisher.shutdownNow();
    }
    for (String s : symbols) {
      assertThat(cache.get(s)).contains(Quote.of(tick(s, 100)));
    }
  }

  @Test
  void aRedisThatLostItsQuotesIsFilledWithThePublishedOnesEvenWhileNoTickComes() throws Exception {
    // what market.quotes holds: the newest published tick of each symbol
    Map<String, Tick> published = new ConcurrentHashMap<>();
    published.put("EURUSD", tick("EURUSD", 7));
    published.put("GBPUSD", tick("GBPUSD", 3));
    try (QuoteCache filled = new QuoteCache(settings(), () -> List.copyOf(published.values()))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(filled.get("GBPUSD")).contains(Quote.of(tick("GBPUSD", 3))));
      filled.publish(List.of(tick("EURUSD", 9)));
      published.put("EURUSD", tick("EURUSD", 9));

      stack.stop(Component.REDIS);
      stack.ensure(List.of(Component.REDIS)); // empty: it keeps nothing on disk
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions() // the pool's connections to the old server fail once
          .untilAsserted(
              () -> {
                assertThat(filled.get("GBPUSD")).contains(Quote.of(tick("GBPUSD", 3)));
                assertThat(filled.get("EURUSD")).contains(Quote.of(tick("EURUSD", 9)));
              });
      assertThat(marker()).isEqualTo("filled");

      // a newer quote than the published one stays
      filled.publish(List.of(tick("GBPUSD", 5)));
      try (Jedis jedis = jedis()) {
        jedis.del(QuoteCache.MARKER);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> "filled".equals(marker()));
      assertThat(filled.get("GBPUSD")).contains(Quote.of(tick("GBPUSD", 5)));
    }
  }

  private String marker() {
    try (Jedis jedis = jedis()) {
      return jedis.get(QuoteCache.MARKER);
    }
  }

  private Jedis jedis() {
    return new Jedis(stack.redisUri(RedisUser.ADMIN));
  }

  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

  private static long seqOf(String json) {
    Matcher m = SEQ.matcher(json);
    assertThat(m.find()).as(json).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** Collects what one channel receives, on its own connection and thread. */
  private final class Subscriber extends JedisPubSub implements AutoCloseable {

    final List<String> messages = new CopyOnWriteArrayList<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final Thread thread;

    Subscriber(String channel) throws InterruptedException {
      thread =
          new Thread(
              () -> {
                try (Jedis jedis = jedis()) {
                  jedis.subscribe(this, channel);
                }
              },
              "subscriber-" + channel);
      thread.setDaemon(true);
      thread.start();
      assertThat(subscribed.await(5, TimeUnit.SECONDS)).as("subscribed to " + channel).isTrue();
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      subscribed.countDown();
    }

    @Override
    public void onMessage(String channel, String message) {
      messages.add(message);
    }

    @Override
    public void close() throws InterruptedException {
      unsubscribe();
      thread.join(5000);
    }
  }
}
