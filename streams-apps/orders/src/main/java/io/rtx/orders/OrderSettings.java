package io.rtx.orders;

import io.rtx.common.AppSettings;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the orders app, read over the defaults in {@code orders.properties}, the one place
 * they are written down; each is checked here so a bad value fails at start with its name.
 *
 * @param httpWait how long {@code POST /orders} waits for the decision before answering 202
 * @param limitTtl how long an accepted limit order rests before its remainder is cancelled
 * @param rateWindow the window of the per-account order rate limit
 * @param history how long decided orders stay queryable and duplicate ids are detected
 * @param simulatorEnabled whether the app fills accepted orders itself (demo and tests)
 * @param simulatorFeeRate a simulated fill's fee as a fraction of its notional
 * @param simulatorPartialShare the share of simulated market orders filled in two parts
 * @param redisUrl the account cache's Redis; empty when there is none
 */
public record OrderSettings(
    Duration httpWait,
    Duration limitTtl,
    Duration rateWindow,
    Duration history,
    boolean simulatorEnabled,
    BigDecimal simulatorFeeRate,
    double simulatorPartialShare,
    Optional<URI> redisUrl) {

  /** The app's name: its defaults resource and {@code rtx.error.app} on what it routes aside. */
  public static final String APP = "orders";

  public static final String HTTP_WAIT = "orders.http.wait";
  public static final String LIMIT_TTL = "orders.limit.ttl";
  public static final String RATE_WINDOW = "orders.rate.window";
  public static final String HISTORY = "orders.history";
  public static final String SIMULATOR_ENABLED = "orders.simulator.enabled";
  public static final String SIMULATOR_FEE_RATE = "orders.simulator.fee.rate";
  public static final String SIMULATOR_PARTIAL_SHARE = "orders.simulator.partial.share";
  public static final String REDIS_URL = "orders.redis.url";

  private static final Set<String> KNOWN =
      Set.of(
          HTTP_WAIT,
          LIMIT_TTL,
          RATE_WINDOW,
          HISTORY,
          SIMULATOR_ENABLED,
          SIMULATOR_FEE_RATE,
          SIMULATOR_PARTIAL_SHARE,
          REDIS_URL);

  public OrderSettings {
    positive(HTTP_WAIT, httpWait);
    positive(LIMIT_TTL, limitTtl);
    positive(RATE_WINDOW, rateWindow);
    if (history.compareTo(limitTtl) < 0) {
      throw new IllegalArgumentException(
          HISTORY + " (" + history + ") must not be shorter than " + LIMIT_TTL);
    }
    if (simulatorFeeRate.signum() < 0 || simulatorFeeRate.compareTo(new BigDecimal("0.01")) > 0) {
      throw new IllegalArgumentException(
          SIMULATOR_FEE_RATE + " must be 0..0.01, got " + simulatorFeeRate);
    }
    if (!(simulatorPartialShare >= 0 && simulatorPartialShare <= 1)) {
      throw new IllegalArgumentException(
          SIMULATOR_PARTIAL_SHARE + " must be 0..1, got " + simulatorPartialShare);
    }
    redisUrl.ifPresent(
        u -> {
          if (!("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme()))
              || u.getHost() == null) {
            throw new IllegalArgumentException(
                REDIS_URL + " must look like redis://host:port, got " + u);
          }
        });
  }

  public static OrderSettings defaults() {
    return from(Map.of());
  }

  /** Reads the {@code orders.*} keys of {@code given} over the defaults. */
  public static OrderSettings from(Map<String, String> given) {
    AppSettings s = AppSettings.read(APP, given, KNOWN);
    String redis = given.getOrDefault(REDIS_URL, null);
    Optional<URI> redisUrl =
        redis != null && redis.isBlank() ? Optional.empty() : Optional.of(s.uri(REDIS_URL));
    return new OrderSettings(
        s.duration(HTTP_WAIT),
        s.duration(LIMIT_TTL),
        s.duration(RATE_WINDOW),
        s.duration(HISTORY),
        s.parsed(SIMULATOR_ENABLED, OrderSettings::bool),
        s.parsed(SIMULATOR_FEE_RATE, BigDecimal::new),
        s.parsed(SIMULATOR_PARTIAL_SHARE, Double::parseDouble),
        redisUrl);
  }

  private static boolean bool(String text) {
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false, got '" + text + "'");
    };
  }

  private static void positive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, got " + d);
    }
  }
}
