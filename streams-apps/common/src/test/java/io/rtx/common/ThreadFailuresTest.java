package io.rtx.common;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

  private final AtomicLong now = new AtomicLong();
  private final ThreadFailures failures = new ThreadFailures(now::get);

  private void after(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aFailureNowAndThenReplacesTheThread() {
    for (int i = 0; i < 10; i++) {
      assertThat(failures.handle(new IllegalStateException("boom " + i))).isEqualTo(REPLACE_THREAD);
      after(ThreadFailures.WINDOW.dividedBy(2).plusSeconds(1));
    }
    assertThat(failures.cause()).isEmpty();
  }

  @Test
  void threadsThatKeepFailingShutTheClientDownWithTheCause() {
    assertThat(failures.handle(new IllegalStateException("boom"))).isEqualTo(REPLACE_THREAD);
    after(Duration.ofSeconds(10));
    assertThat(failures.handle(new IllegalStateException("boom"))).isEqualTo(REPLACE_THREAD);
    after(Duration.ofSeconds(10));
    assertThat(failures.handle(new IllegalStateException("poison record")))
        .isEqualTo(SHUTDOWN_CLIENT);
    assertThat(failures.cause())
        .hasValueSatisfying(
            c -> assertThat(c).contains("failed 3 times within 5 min").contains("poison record"));

    Response health = StreamsHealth.health(State.ERROR, failures.cause());
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.bodyText()).contains("\"state\":\"ERROR\"").contains("poison record");
  }
}
