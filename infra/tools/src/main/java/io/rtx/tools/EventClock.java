package io.rtx.tools;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a simulated tick's event time comes from: the wall clock, or a fixed step per tick
 * (replays).
 */
public interface EventClock {

  EventClock WALL = () -> Instant::now;

  /** One sender's sequence of event times. */
  interface Ticker {
    Instant next();
  }

  Ticker ticker();

  /**
   * Event time that starts at {@code start} and advances {@code step} per tick, whichever sender
   * draws it: every sender's ticker reads one shared clock, so senders that run at different speeds
   * never drift apart in event time (a windowed consumer would drop the slower one's ticks as
   * late).
   */
  static EventClock stepping(Instant start, Duration step) {
    AtomicLong ticks = new AtomicLong();
    long stepNanos = step.toNanos();
    Ticker shared = () -> start.plusNanos(Math.multiplyExact(stepNanos, ticks.getAndIncrement()));
    return () -> shared;
  }
}
