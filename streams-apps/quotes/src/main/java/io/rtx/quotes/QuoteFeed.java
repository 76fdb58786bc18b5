package io.rtx.quotes;

import io.rtx.schemas.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The quotes of Redis for many listeners through one subscription: a single connection subscribed
 * to {@code quotes:*} fans each message out to the listeners of its symbol; the current quote of a
 * symbol is read from its hash {@code quote:SYMBOL}. The subscriber reconnects with backoff after
 * Redis went away, and then reads every listened symbol's hash again, since messages published
 * meanwhile are lost (a listener drops what is not newer than what it has, {@link QuoteVersion}).
 */
final class QuoteFeed implements AutoCloseable {

  /** Receives quotes: called from the subscriber thread, so it must not block. */
  interface Listener {
    void quote(String symbol, QuoteVersion version, String json);
  }

  private static final Logger log = LoggerFactory.getLogger(QuoteFeed.class);
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
  private static final Pattern TS = Pattern.compile("\"ts\":(\\d+)");

  private final QuoteSettings settings;
  private final RedisClient redis;
  private final Map<String, Set<Listener>> listeners = new ConcurrentHashMap<>();
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final Thread subscriber;
  private volatile JedisPubSub pubSub;
  private volatile boolean closed;

  QuoteFeed(QuoteSettings settings) {
    this.settings = settings;
    this.redis = QuoteCache.client(settings);
    this.subscriber = new Thread(this::subscribe, "quotes-feed");
    subscriber.setDaemon(true);
    subscriber.start();
  }

  /** Whether the subscription is established (quotes flow). */
  boolean subscribed() {
    return subscribed.get();
  }

  /**
   * Adds {@code listener} for {@code symbols}, then reads their current quotes: an update published
   * in between reaches the listener by both ways, and it keeps the newer.
   *
   * @return the current quote of each symbol that has one in Redis, as the JSON message
   * @throws JedisException when Redis cannot be read; the listener is then removed again
   */
  Map<String, Current> join(Listener listener, Collection<String> symbols) {
    for (String s : symbols) {
      listeners.computeIfAbsent(s, k -> ConcurrentHashMap.newKeySet()).add(listener);
    }
    try {
      return current(symbols);
    } catch (RuntimeException e) {
      leave(listener, symbols);
      throw e;
    }
  }

  /** A symbol's current quote: its version and the message. */
  record Current(QuoteVersion version, String json) {}

  void leave(Listener listener, Collection<String> symbols) {
    for (String s : symbols) {
      listeners.computeIfPresent(
          s,
          (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
          });
    }
  }

  private Map<String, Current> current(Collection<String> symbols) {
    Map<String, Response<Map<String, String>>> replies = new LinkedHashMap<>();
    try (Pipeline p = redis.pipelined()) {
      for (String s : symbols) {
        replies.put(s, p.hgetAll(Names.quoteKey(s)));
      }
      p.sync();
    }
    Map<String, Current> current = new LinkedHashMap<>();
    replies.forEach(
        (symbol, reply) -> {
          Map<String, String> hash = reply.get();
          if (!hash.isEmpty()) {
            current.put(
                symbol,
                new Current(
                    new QuoteVersion(
                        Long.parseLong(hash.get("seq")), Long.parseLong(hash.get("ts"))),
                    QuoteMessage.json(symbol, hash)));
          }
        });
    return current;
  }

  private void subscribe() {
    Duration backoff = settings.retryBackoffInitial();
    while (!closed) {
      JedisPubSub sub = new Subscription();
      pubSub = sub;
      try (Jedis jedis =
          new Jedis(
              JedisURIHelper.getHostAndPort(settings.redisUrl()),
              QuoteCache.clientConfig(settings))) {
        jedis.psubscribe(sub, Names.QUOTE_CHANNEL_PREFIX + "*");
      } catch (JedisException e) {
        if (!closed && failing.compareAndSet(false, true)) {
          log.warn(
              "quote feed: no Redis subscription ({}); retrying, backoff up to {} ms",
              e.toString(),
              settings.retryBackoffMax().toMillis());
        }
      }
      if (subscribed.getAndSet(false)) {
        backoff = settings.retryBackoffInitial();
      }
      if (closed) {
        return;
      }
      try {
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(settings.retryBackoffMax()) > 0
              ? settings.retryBackoffMax()
              : backoff.multipliedBy(2);
    }
  }

  private final class Subscription extends JedisPubSub {

    @Override
    public void onPSubscribe(String pattern, int subscribedChannels) {
      subscribed.set(true);
      failing.set(false);
      // messages published while no subscription was up are lost: read the current quotes again
      List<String> symbols = new ArrayList<>(listeners.keySet());
      try {
        current(symbols).forEach((symbol, c) -> fanOut(symbol, c.version(), c.json()));
      } catch (JedisException e) {
        log.warn("quote feed: cannot read the current quotes after subscribing ({})", e.toString());
      }
      log.info(
          "quote feed subscribed to {}* ({} symbols listened)",
          Names.QUOTE_CHANNEL_PREFIX,
          symbols.size());
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      Matcher seq = SEQ.matcher(message);
      Matcher ts = TS.matcher(message);
      if (seq.find() && ts.find()) {
        fanOut(
            channel.substring(Names.QUOTE_CHANNEL_PREFIX.length()),
            new QuoteVersion(Long.parseLong(seq.group(1)), Long.parseLong(ts.group(1))),
            message);
      }
    }
  }

  private void fanOut(String symbol, QuoteVersion version, String json) {
    Set<Listener> set = listeners.get(symbol);
    if (set != null) {
      for (Listener l : set) {
        l.quote(symbol, version, json);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    JedisPubSub sub = pubSub;
    if (sub != null && sub.isSubscribed()) {
      try {
        sub.punsubscribe();
      } catch (JedisException e) {
        // the connection is gone already
      }
    }
    subscriber.interrupt();
    try {
      subscriber.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    redis.close();
  }
}
