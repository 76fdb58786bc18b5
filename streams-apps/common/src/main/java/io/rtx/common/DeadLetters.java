package io.rtx.common;

import io.micrometer.core.instrument.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headers on records an app routes aside (dead-letter and late topics): why, in a stable code and a
 * sentence, and which app. Records Kafka Streams itself could not deserialize carry its own {@code
 * __streams.errors.*} headers instead.
 */
public final class DeadLetters {

  /** A stable code, e.g. {@link TickRules#INVALID_TICK}. */
  public static final String REASON = "rtx.error.reason";

  /** A sentence for people. */
  public static final String DETAIL = "rtx.error.detail";

  /** The app that routed the record, e.g. {@code candles}. */
  public static final String APP = "rtx.error.app";

  /** The counter of dead-lettered records, by app and reason: {@code rtx_dead_letters_total}. */
  public static final String METRIC = "rtx.dead.letters";

  /** At most one log line per app and reason this often. */
  public static final Duration LOG_EVERY = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  /** Per app and reason: when it was last logged (nanos), records since. */
  private static final ConcurrentMap<String, long[]> LOGGED = new ConcurrentHashMap<>();

  private DeadLetters() {}

  /**
   * A copy of {@code original} (a record's headers may be shared with other records) with the
   * reason, detail and app headers replacing any earlier ones, so a record carries one reason
   * however often it was routed aside.
   */
  public static Headers stamped(Headers original, String app, String reason, String detail) {
    Headers headers = new RecordHeaders(original.toArray());
    set(headers, REASON, reason);
    set(headers, DETAIL, detail);
    set(headers, APP, app);
    return headers;
  }

  /**
   * {@link #stamped} headers for a record about to go to a dead-letter topic, counted in {@code
   * rtx_dead_letters_total{app, reason}} (on every app's {@code /metrics}). Under exactly-once a
   * record processed again after an aborted transaction counts again: the metric says how often
   * records were dead-lettered, the topic holds each once.
   */
  public static Headers deadLetter(Headers original, String app, String reason, String detail) {
    count(app, reason, detail);
    return stamped(original, app, reason, detail);
  }

  /**
   * Counts one dead-lettered record of {@code app} for {@code reason}, and logs it: at most one
   * line per app and reason every {@link #LOG_EVERY}, with how many went since the last line.
   */
  public static void count(String app, String reason, String detail) {
    Metrics.counter(METRIC, "app", app, "reason", reason).increment();
    String key = app + "/" + reason;
    long now = System.nanoTime();
    long[] state = LOGGED.computeIfAbsent(key, k -> new long[] {now - LOG_EVERY.toNanos(), 0});
    long unlogged;
    synchronized (state) {
      state[1]++;
      if (now - state[0] < LOG_EVERY.toNanos()) {
        return;
      }
      unlogged = state[1];
      state[0] = now;
      state[1] = 0;
    }
    log.warn(
        "{} dead-lettered {} record(s) for {} since its last report; latest: {}",
        app,
        unlogged,
        reason,
        detail);
  }

  /** Sets a UTF-8 text header, replacing any earlier values of it; returns {@code headers}. */
  public static Headers set(Headers headers, String name, String value) {
    return headers.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
