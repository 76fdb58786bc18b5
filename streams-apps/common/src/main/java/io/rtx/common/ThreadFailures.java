package io.rtx.common;

import io.rtx.schemas.PatientDeserializer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response to a failed stream thread: replace it, unless threads keep failing. After {@link
 * #MAX_FAILURES} failures within {@link #WINDOW}, the failure is not transient: the client shuts
 * down (state ERROR, {@code /health} 503 with the cause) and one error says why, instead of a loop
 * of replacements behind a healthy {@code /health}.
 */
public final class ThreadFailures implements StreamsUncaughtExceptionHandler {

  public static final int MAX_FAILURES = 3;
  public static final Duration WINDOW = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(ThreadFailures.class);

  private final LongSupplier nanoClock;
  private final Deque<Long> failures = new ArrayDeque<>();
  private volatile String cause;

  public ThreadFailures() {
    this(System::nanoTime);
  }

  ThreadFailures(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
    if (PatientDeserializer.RegistryUnavailableException.causedBy(exception)) {
      // not the record's fault and not the code's: the thread retries it, however long it lasts
      log.warn("stream thread stopped while the schema registry is unreachable; replacing it");
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    long now = nanoClock.getAsLong();
    failures.addLast(now);
    while (now - failures.peekFirst() > WINDOW.toNanos()) {
      failures.removeFirst();
    }
    if (failures.size() < MAX_FAILURES) {
      log.error(
          "stream thread failed ({} in {}); replacing it", failures.size(), WINDOW, exception);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    cause =
        "stream threads failed "
            + failures.size()
            + " times within "
            + WINDOW.toMinutes()
            + " min, last: "
            + exception;
    log.error("{}; shutting down, the app is unhealthy until restarted", cause, exception);
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  /** Why the client was shut down, once it has been. */
  public Optional<String> cause() {
    return Optional.ofNullable(cause);
  }
}
