package io.rtx.tools;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * When {@code ./rtx connect watch --auto-restart} may restart a failed connector or task again: at
 * once the first time, then after a delay that doubles with each restart that did not hold (up to a
 * ceiling), so a task that fails for a lasting cause is not restarted in a tight loop. Seen RUNNING
 * once its last delay is over, it counts as recovered and starts over.
 */
final class RestartBackoff {

  private record Attempts(int count, Instant notBefore) {}

  private final Duration initial;
  private final Duration max;
  private final Map<String, Attempts> attempts = new HashMap<>();

  RestartBackoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("back-off needs 0 < initial <= max");
    }
    this.initial = initial;
    this.max = max;
  }

  /** The wait after the {@code n}-th restart (n ≥ 1): initial × 2^(n-1), at most max. */
  Duration delayAfter(int n) {
    if (n >= 31) {
      return max;
    }
    Duration d = initial.multipliedBy(1L << (n - 1));
    return d.compareTo(max) > 0 ? max : d;
  }

  /** Whether {@code key} may be restarted at {@code now}. */
  boolean due(String key, Instant now) {
    Attempts a = attempts.get(key);
    return a == null || !now.isBefore(a.notBefore());
  }

  /** Records a restart of {@code key} at {@code now}; returns how many it has had in a row. */
  int restarted(String key, Instant now) {
    int n = attempts.containsKey(key) ? attempts.get(key).count() + 1 : 1;
    attempts.put(key, new Attempts(n, now.plus(delayAfter(n))));
    return n;
  }

  /** The earliest time {@code key} may be restarted again, if it has been restarted. */
  Instant notBefore(String key) {
    Attempts a = attempts.get(key);
    return a == null ? Instant.MIN : a.notBefore();
  }

  /**
   * {@code key} was seen running at {@code now}: if it has run past its last delay, its next
   * failure is a new one, restarted at once (running only briefly after a restart does not count).
   */
  void running(String key, Instant now) {
    Attempts a = attempts.get(key);
    if (a != null && !now.isBefore(a.notBefore())) {
      attempts.remove(key);
    }
  }
}
