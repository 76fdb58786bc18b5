package io.rtx.quotes;

import io.rtx.common.AppSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the quotes app, read from the app's configuration map over the defaults in {@code
 * quotes.properties}, the one place they are written down. Every {@code quotes.*} key must be one
 * of the names below (a typo fails at start, not silently); other keys are ignored here, except
 * {@value #POLL_MS}, which must not exceed the flush interval. The Streams settings the app relies
 * on ({@code kafka.processing.guarantee=at_least_once}, {@code kafka.poll.ms}) are defaults in
 * {@code quotes.properties} like any other. Durations are written {@code 5ms}, {@code 2s}, {@code
 * 1m}, {@code 1h}, {@code 1d} or ISO-8601 ({@code PT0.005S}).
 *
 * @param redisUrl {@value #REDIS_URL}: {@code redis[s]://[[user]:password@]host[:port][/db]}
 * @param redisTimeout {@value #REDIS_TIMEOUT}: connect and socket timeout of each Redis call
 * @param batchSize {@value #BATCH_SIZE}: ticks buffered before a flush, whatever the interval
 * @param flushInterval {@value #FLUSH_INTERVAL}: wall-clock period of the flush
 * @param retryBackoffInitial {@value #RETRY_BACKOFF_INITIAL}: first wait after Redis failed;
 *     doubles up to
 * @param retryBackoffMax {@value #RETRY_BACKOFF_MAX}: the longest wait between two attempts
 * @param wsPort {@value #WS_PORT}: port of the WebSocket endpoint {@code /ws/quotes} (on {@code
 *     http.host}); the JDK's HTTP server of {@code /health} cannot upgrade a connection
 * @param wsMaxConnections {@value #WS_MAX_CONNECTIONS}: open WebSocket clients at most; one more is
 *     closed with 1013 (try again later)
 * @param wsMaxSymbols {@value #WS_MAX_SYMBOLS}: symbols one client may ask for; it bounds the
 *     client's backlog, one quote per symbol
 * @param wsSendTimeout {@value #WS_SEND_TIMEOUT}: a client whose last frame has not left for its
 *     socket within this is disconnected
 * @param wsSendBuffer {@value #WS_SEND_BUFFER}: the socket send buffer of each client, in bytes:
 *     the kernel's share of a slow client's backlog
 */
public record QuoteSettings(
    URI redisUrl,
    Duration redisTimeout,
    int batchSize,
    Duration flushInterval,
    Duration retryBackoffInitial,
    Duration retryBackoffMax,
    int wsPort,
    int wsMaxConnections,
    int wsMaxSymbols,
    Duration wsSendTimeout,
    int wsSendBuffer) {

  /**
   * The app's name: its defaults resource {@code quotes.properties}, and {@code rtx.error.app} on
   * its DLQ records.
   */
  public static final String APP = "quotes";

  public static final String REDIS_URL = "quotes.redis.url";
  public static final String REDIS_TIMEOUT = "quotes.redis.timeout";
  public static final String BATCH_SIZE = "quotes.batch.size";
  public static final String FLUSH_INTERVAL = "quotes.flush.interval";
  public static final String RETRY_BACKOFF_INITIAL = "quotes.retry.backoff.initial";
  public static final String RETRY_BACKOFF_MAX = "quotes.retry.backoff.max";
  public static final String WS_PORT = "quotes.ws.port";
  public static final String WS_MAX_CONNECTIONS = "quotes.ws.max.connections";
  public static final String WS_MAX_SYMBOLS = "quotes.ws.max.symbols";
  public static final String WS_SEND_TIMEOUT = "quotes.ws.send.timeout";
  public static final String WS_SEND_BUFFER = "quotes.ws.send.buffer";

  private static final Set<String> KNOWN =
      Set.of(
          REDIS_URL,
          REDIS_TIMEOUT,
          BATCH_SIZE,
          FLUSH_INTERVAL,
          RETRY_BACKOFF_INITIAL,
          RETRY_BACKOFF_MAX,
          WS_PORT,
          WS_MAX_CONNECTIONS,
          WS_MAX_SYMBOLS,
          WS_SEND_TIMEOUT,
          WS_SEND_BUFFER);

  /**
   * The Streams setting that bounds how long the flush can wait: punctuations run only between
   * polls, so a poll slower than the flush interval would hold a tick on a quiet topic that long.
   */
  public static final String POLL_MS = "kafka." + StreamsConfig.POLL_MS_CONFIG;

  private static final int MAX_BATCH_SIZE = 100_000;
  private static final int MAX_WS_CONNECTIONS = 100_000;
  private static final int MAX_WS_SYMBOLS = 10_000;
  private static final int MIN_WS_SEND_BUFFER = 4 << 10;
  private static final int MAX_WS_SEND_BUFFER = 16 << 20;

  public QuoteSettings {
    String scheme = redisUrl.getScheme();
    if (!("redis".equals(scheme) || "rediss".equals(scheme)) || redisUrl.getHost() == null) {
      throw new IllegalArgumentException(
          REDIS_URL + " must look like redis://host:port, got " + redisUrl);
    }
    atLeastOneMilli(REDIS_TIMEOUT, redisTimeout);
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          BATCH_SIZE + " must be 1.." + MAX_BATCH_SIZE + ", got " + batchSize);
    }
    atLeastOneMilli(FLUSH_INTERVAL, flushInterval);
    atLeastOneMilli(RETRY_BACKOFF_INITIAL, retryBackoffInitial);
    if (retryBackoffMax.compareTo(retryBackoffInitial) < 0) {
      throw new IllegalArgumentException(
          RETRY_BACKOFF_MAX
              + " ("
              + retryBackoffMax
              + ") must not be below "
              + RETRY_BACKOFF_INITIAL
              + " ("
              + retryBackoffInitial
              + ")");
    }
    inRange(WS_PORT, wsPort, 1, 65_535);
    inRange(WS_MAX_CONNECTIONS, wsMaxConnections, 1, MAX_WS_CONNECTIONS);
    inRange(WS_MAX_SYMBOLS, wsMaxSymbols, 1, MAX_WS_SYMBOLS);
    atLeastOneMilli(WS_SEND_TIMEOUT, wsSendTimeout);
    inRange(WS_SEND_BUFFER, wsSendBuffer, MIN_WS_SEND_BUFFER, MAX_WS_SEND_BUFFER);
  }

  /**
   * The defaults: {@link #from} with nothing given, so every value comes from {@code
   * quotes.properties}.
   */
  public static QuoteSettings defaults() {
    return from(Map.of());
  }

  /**
   * Reads the {@code quotes.*} keys of {@code given}, each missing one from {@code
   * quotes.properties}.
   */
  public static QuoteSettings from(Map<String, String> given) {
    AppSettings config = AppSettings.read(APP, given, KNOWN);
    QuoteSettings settings =
        new QuoteSettings(
            config.uri(REDIS_URL),
            config.duration(REDIS_TIMEOUT),
            config.integer(BATCH_SIZE),
            config.duration(FLUSH_INTERVAL),
            config.duration(RETRY_BACKOFF_INITIAL),
            config.duration(RETRY_BACKOFF_MAX),
            config.integer(WS_PORT),
            config.integer(WS_MAX_CONNECTIONS),
            config.integer(WS_MAX_SYMBOLS),
            config.duration(WS_SEND_TIMEOUT),
            config.integer(WS_SEND_BUFFER));
    long pollMs = config.longValue(POLL_MS);
    if (pollMs < 0 || pollMs > settings.flushInterval().toMillis()) {
      throw new IllegalArgumentException(
          POLL_MS
              + " ("
              + pollMs
              + ") must be 0.."
              + settings.flushInterval().toMillis()
              + ", not above "
              + FLUSH_INTERVAL
              + " ("
              + settings.flushInterval()
              + "): the flush runs only between polls");
    }
    return settings;
  }

  private static void inRange(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be " + min + ".." + max + ", got " + value);
    }
  }

  private static void atLeastOneMilli(String key, Duration d) {
    if (d.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException(key + " must be at least 1 ms, got " + d);
    }
  }
}
