package io.rtx.tools;

import java.time.Duration;
import java.time.Instant;

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

  static EventClock stepping(Instant start, Duration step) {
    return () ->
        new Ticker() {
          private Instant t = start.minus(step);

          @Override
          public Instant next() {
            t = t.plus(step);
            return t;
          }
        };
  }
}
