package io.rtx.candles;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LiveClosesTest {

  private static final long T0 = Instant.parse("2026-12-07T12:00:00Z").toEpochMilli();

  private final LiveCloses closes = new LiveCloses(Duration.ofSeconds(1), Duration.ofSeconds(5));

  @Test
  void asksOnceWhenStreamTimeClosesAWindowLive() {
    // window [T0, T0 + 1 s) closes at stream time T0 + 6 s
    // the first record: stream time has closed [T0 - 1 s, T0), at T0 + 5 s, 999 ms ago
    assertThat(closes.commitNow(T0 + 5_999, T0 + 5_999)).isTrue();
    assertThat(closes.commitNow(T0 + 5_999, T0 + 6_000)).isFalse();
    assertThat(closes.commitNow(T0 + 6_000, T0 + 6_003)).isTrue();
    assertThat(closes.commitNow(T0 + 6_500, T0 + 6_503)).isFalse();
    assertThat(closes.commitNow(T0 + 6_999, T0 + 7_002)).isFalse();
    assertThat(closes.commitNow(T0 + 7_000, T0 + 7_002)).isTrue();
  }

  @Test
  void aRecordThatLeavesStreamTimeWhereItWasAsksNothing() {
    assertThat(closes.commitNow(T0 + 6_000, T0 + 6_000)).isTrue();
    assertThat(closes.commitNow(T0 + 6_000, T0 + 6_400)).isFalse(); // stream time did not move
  }

  @Test
  void closesOfAReplayOrACatchUpWaitForThePeriodicCommit() {
    long hourAgo = T0 - 3_600_000;
    for (long t = hourAgo; t < hourAgo + 60_000; t += 100) {
      assertThat(closes.commitNow(t, T0)).isFalse();
    }
    // a close one base interval (here the 1 s minimum) behind the clock is no longer live
    assertThat(closes.commitNow(T0 + 6_000, T0 + 6_999)).isTrue();
    assertThat(closes.commitNow(T0 + 7_000, T0 + 8_000)).isFalse();
  }

  @Test
  void aTickAheadOfTheClockIsLive() {
    assertThat(closes.commitNow(T0 + 6_000, T0 + 5_500)).isTrue();
  }

  @Test
  void aLargeBaseIntervalIsLiveForThatInterval() {
    LiveCloses minutes = new LiveCloses(Duration.ofMinutes(1), Duration.ofSeconds(5));
    // window [T0, T0 + 1 min) closes at T0 + 65 s; the app 30 s behind is still live
    assertThat(minutes.commitNow(T0 + 65_000, T0 + 95_000)).isTrue();
    assertThat(minutes.commitNow(T0 + 125_000, T0 + 185_000)).isFalse();
  }
}
