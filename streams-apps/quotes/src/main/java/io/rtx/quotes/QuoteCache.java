package io.rtx.quotes;

import io.rtx.schemas.Names;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The latest quote of every symbol in Redis: hash {@code quote:SYMBOL} (fields bid, ask, ts, seq
 * and bid_size/ask_size when the tick has them), and a {@link QuoteMessage} on channel {@code
 * quotes:SYMBOL} each time it changes. A tick replaces the stored quote only if it is newer ({@link
 * QuoteVersion}: a higher seq, or a restarted sequence), checked and written by one Lua script, so
 * replays, redeliveries and concurrent writers can never move a quote backwards. Thread-safe: one
 * instance serves all stream threads.
 */
public final class QuoteCache implements QuoteSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QuoteCache.class);

  /**
   * KEYS[1] quote hash; ARGV seq, bid, ask, ts, bid_size, ask_size ('' = none), channel, message,
   * reset-after ms: the rule of {@link QuoteVersion}.
   */
  static final String SCRIPT =
      """
      local stored = redis.call('HGET', KEYS[1], 'seq')
      local seq = ARGV[1]
      if stored then
        -- seqs are non-negative decimal strings: compare length, then text (exact beyond 2^53, unlike Lua numbers)
        local higher = #seq > #stored or (#seq == #stored and seq > stored)
        -- epoch milliseconds are exact in Lua numbers
        local storedTs = tonumber(redis.call('HGET', KEYS[1], 'ts'))
        local ts = tonumber(ARGV[4])
        local margin = tonumber(ARGV[9])
        if storedTs == nil then
          if not higher then return 0 end
        elseif higher then
          -- a late tick of the sequence a restart replaced
          if ts + margin <= storedTs then return 0 end
        elseif ts < storedTs + margin then
          -- not a restarted sequence: a redelivery or a late tick
          return 0
        end
      end
      redis.call('HSET', KEYS[1], 'seq', seq, 'bid', ARGV[2], 'ask', ARGV[3], 'ts', ARGV[4])
      if ARGV[5] == '' then redis.call('HDEL', KEYS[1], 'bid_size') else redis.call('HSET', KEYS[1], 'bid_size', ARGV[5]) end
      if ARGV[6] == '' then redis.call('HDEL', KEYS[1], 'ask_size') else redis.call('HSET', KEYS[1], 'ask_size', ARGV[6]) end
      redis.call('PUBLISH', ARGV[7], ARGV[8])
      return 1
      """;

  static final String SCRIPT_SHA = sha1(SCRIPT);

  /**
   * Says this Redis holds every symbol's quote: {@code filled} once filled from market.quotes,
   * {@code filling} while that runs. Redis keeps nothing on disk; a restarted (or new) one has no
   * such key, and a symbol that does not tick again would have no quote.
   */
  static final String MARKER = "rtx:quote-cache:filled";

  private static final String FILLED = "filled";

  static final Duration FILL_CHECK = Duration.ofSeconds(1);

  private final RedisClient redis;
  private final String endpoint; // host:port only, never the password
  private final Duration backoffInitial;
  private final Duration backoffMax;
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile long failingSinceNanos;
  private volatile boolean closed;
  private final Supplier<List<Tick>> published;
  private final Thread keeper;

  /** Connects lazily: Redis may be down at start, {@link #publish} waits for it. */
  public QuoteCache(QuoteSettings settings) {
    this(settings, null);
  }

  /**
   * @param published the newest published quote of every symbol (market.quotes), what a Redis
   *     without the {@link #MARKER} is filled with; null: never filled
   */
  QuoteCache(QuoteSettings settings, Supplier<List<Tick>> published) {
    this.published = published;
    this.redis = client(settings);
    this.endpoint = JedisURIHelper.getHostAndPort(settings.redisUrl()).toString();
    this.backoffInitial = settings.retryBackoffInitial();
    this.backoffMax = settings.retryBackoffMax();
    this.keeper = published == null ? null : new Thread(this::keepFilled, "quotes-redis-fill");
    if (keeper != null) {
      keeper.setDaemon(true);
      keeper.start();
    }
  }

  /** A pooled client of the Redis at {@code quotes.redis.url}; connects lazily. */
  static RedisClient client(QuoteSettings settings) {
    URI url = settings.redisUrl();
    return RedisClient.builder()
        .hostAndPort(JedisURIHelper.getHostAndPort(url))
        .clientConfig(clientConfig(settings))
        .build();
  }

  /** Address, credentials, database and timeouts of {@code quotes.redis.url}. */
  static DefaultJedisClientConfig clientConfig(QuoteSettings settings) {
    return DefaultJedisClientConfig.builder(settings.redisUrl())
        .timeoutMillis((int) settings.redisTimeout().toMillis())
        .build();
  }

  public static String key(String symbol) {
    return Names.quoteKey(symbol);
  }

  public static String channel(String symbol) {
    return Names.quoteChannel(symbol);
  }

  /**
   * Applies the newest tick of each symbol in {@code ticks}, one pipelined script call per symbol.
   * While Redis is unreachable it retries with exponential backoff, logging once when that starts
   * and once when it ends; it throws only if this cache is closed, the thread is interrupted or
   * Redis answers with a non-transient error.
   *
   * @return how many symbols' quotes changed (in the attempt that succeeded)
   */
  @Override
  public int publish(List<Tick> ticks) {
    List<Tick> newest = NewestTicks.of(ticks);
    if (newest.isEmpty()) {
      return 0;
    }
    Duration backoff = backoffInitial;
    while (true) {
      if (closed) {
        throw new IllegalStateException(
            "quote cache is closed; " + newest.size() + " quotes not applied");
      }
      try {
        int applied = apply(newest);
        if (failing.compareAndSet(true, false)) {
          log.info(
              "Redis at {} is back after {} ms; quote updates resumed",
              endpoint,
              Duration.ofNanos(System.nanoTime() - failingSinceNanos).toMillis());
        }
        return applied;
      } catch (JedisException e) {
        if (!isTransient(e)) {
          throw e;
        }
        if (failing.compareAndSet(false, true)) {
          failingSinceNanos = System.nanoTime();
          log.warn(
              "Redis at {} unavailable ({}); holding quote updates and retrying, backoff up to {} ms",
              endpoint,
              e.toString(),
              backoffMax.toMillis());
        }
      }
      sleep(backoff);
      backoff =
          backoff.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : backoff.multipliedBy(2);
    }
  }

  /** The stored quote of {@code symbol}; one attempt, exceptions propagate. */
  public Optional<Quote> get(String symbol) {
    Map<String, String> h = redis.hgetAll(key(symbol));
    if (h.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Quote(
            symbol,
            new BigDecimal(h.get("bid")),
            new BigDecimal(h.get("ask")),
            Instant.ofEpochMilli(Long.parseLong(h.get("ts"))),
            Long.parseLong(h.get("seq"))));
  }

  /**
   * Stops retries (a blocked {@link #publish} throws within one backoff) and closes the
   * connections.
   */
  @Override
  public void close() {
    closed = true;
    if (keeper != null) {
      keeper.interrupt();
    }
    redis.close();
  }

  private int apply(List<Tick> newest) {
    try (Pipeline pipeline = redis.pipelined()) {
      return write(pipeline, newest);
    }
  }

  /**
   * Every {@link #FILL_CHECK}, even while no tick comes: a Redis without the {@link #MARKER} is
   * filled again.
   */
  private void keepFilled() {
    while (!closed) {
      try {
        if (!FILLED.equals(redis.get(MARKER))) {
          fill();
        }
      } catch (JedisException e) {
        // Redis away: publish waits for it and says so; look again in a moment
      } catch (RuntimeException e) {
        log.warn("cannot fill Redis at {} with the published quotes: {}", endpoint, e.toString());
      }
      try {
        Thread.sleep(FILL_CHECK.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Fills Redis with the newest published quote of every symbol (one older than the quote held
   * changes nothing). The marker reads {@code filled} only if it survived the whole fill: if Redis
   * restarts meanwhile, or this process dies, the next check fills again.
   */
  private void fill() {
    redis.set(MARKER, "filling");
    long start = System.nanoTime();
    List<Tick> quotes = published.get();
    int applied = 0;
    try (Pipeline pipeline = redis.pipelined()) {
      for (int from = 0; from < quotes.size(); from += FILL_BATCH) {
        applied +=
            write(pipeline, quotes.subList(from, Math.min(quotes.size(), from + FILL_BATCH)));
      }
    }
    redis.set(MARKER, FILLED, SetParams.setParams().xx());
    log.info(
        "Redis at {} had lost its quotes (restarted or new): filled with {} published quotes"
            + " ({} changed one) in {} ms",
        endpoint,
        quotes.size(),
        applied,
        Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  private static final int FILL_BATCH = 1_000;

  /** One script call per tick, pipelined; returns how many changed a quote. */
  private static int write(Pipeline pipeline, List<Tick> newest) {
    List<Response<Object>> replies = new ArrayList<>(newest.size());
    for (Tick t : newest) {
      replies.add(pipeline.evalsha(SCRIPT_SHA, List.of(key(t.getSymbol())), args(t)));
    }
    pipeline.sync();
    int applied = 0;
    List<Tick> unknownScript = new ArrayList<>();
    for (int i = 0; i < replies.size(); i++) {
      try {
        applied += ((Long) replies.get(i).get()).intValue();
      } catch (JedisNoScriptException e) {
        unknownScript.add(newest.get(i));
      }
    }
    if (!unknownScript.isEmpty()) {
      // a fresh or restarted Redis has no script cache: EVAL runs the script and caches it for
      // EVALSHA
      List<Response<Object>> retried = new ArrayList<>(unknownScript.size());
      for (Tick t : unknownScript) {
        retried.add(pipeline.eval(SCRIPT, List.of(key(t.getSymbol())), args(t)));
      }
      pipeline.sync();
      for (Response<Object> r : retried) {
        applied += ((Long) r.get()).intValue();
      }
    }
    return applied;
  }

  private static List<String> args(Tick t) {
    return List.of(
        Long.toString(t.getSeq()),
        t.getBid().toPlainString(),
        t.getAsk().toPlainString(),
        Long.toString(t.getTs().toEpochMilli()),
        t.getBidSize() == null ? "" : t.getBidSize().toPlainString(),
        t.getAskSize() == null ? "" : t.getAskSize().toPlainString(),
        channel(t.getSymbol()),
        QuoteMessage.json(t),
        Long.toString(QuoteVersion.RESET_AFTER.toMillis()));
  }

  private static boolean isTransient(JedisException e) {
    return e instanceof JedisConnectionException
        || e instanceof JedisBusyException
        || (e instanceof JedisDataException
            && String.valueOf(e.getMessage()).startsWith("LOADING"));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Redis", e);
    }
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
