package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventClockTest {

  private static final Instant START = Instant.parse("2026-11-26T09:00:00Z");

  @Test
  void sendersOfOneReplayShareOneEventClock() {
    EventClock clock = EventClock.stepping(START, Duration.ofMillis(20));
    EventClock.Ticker fast = clock.ticker();
    EventClock.Ticker slow = clock.ticker();

    for (int i = 0; i < 1_000; i++) {
      fast.next();
    }
    // the slow sender's next tick follows the fast one's, not the replay's start
    assertThat(fast.next()).isEqualTo(START.plusMillis(20 * 1_000));
    assertThat(slow.next()).isEqualTo(START.plusMillis(20 * 1_001));
  }

  @Test
  void oneSenderStepsFromTheStart() {
    EventClock.Ticker t = EventClock.stepping(START, Duration.ofMillis(50)).ticker();
    assertThat(t.next()).isEqualTo(START);
    assertThat(t.next()).isEqualTo(START.plusMillis(50));
  }
}
