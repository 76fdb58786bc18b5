package io.rtx.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One app's own settings ({@code <app>.*}) read over its defaults ({@code <app>.properties}), for
 * the app's typed settings record: each value checked, each failure naming the setting, and an
 * unknown {@code <app>.*} key refused (a typo must not silently fall back to a default).
 */
public final class AppSettings {

  private final String app;
  private final Map<String, String> values;

  private AppSettings(String app, Map<String, String> values) {
    this.app = app;
    this.values = values;
  }

  /**
   * {@code given} over the defaults of {@code app}; fails when a key under {@code <app>.} is not
   * one of {@code known}.
   */
  public static AppSettings read(String app, Map<String, String> given, Set<String> known) {
    Map<String, String> values = Settings.defaults(app).with(given).asMap();
    Set<String> unknown = new TreeSet<>();
    values.keySet().stream()
        .filter(k -> k.startsWith(app + ".") && !known.contains(k))
        .forEach(unknown::add);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown setting(s) " + unknown + "; known: " + new TreeSet<>(known));
    }
    return new AppSettings(app, values);
  }

  /** The value, stripped; a setting without a default is the app's bug, an empty one the user's. */
  public String string(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalStateException(key + " has no default in " + app + ".properties");
    }
    v = v.strip();
    if (v.isEmpty()) {
      throw new IllegalArgumentException(key + " must not be empty");
    }
    return v;
  }

  public int integer(String key) {
    return parsed(key, Integer::parseInt);
  }

  public long longValue(String key) {
    return parsed(key, Long::parseLong);
  }

  public Duration duration(String key) {
    return Durations.parse(key, string(key));
  }

  public URI uri(String key) {
    return parsed(
        key,
        text -> {
          try {
            return new URI(text);
          } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + e.getMessage());
          }
        });
  }

  /** The value read by {@code parser}; its failure becomes a message naming the setting. */
  public <T> T parsed(String key, Function<String, T> parser) {
    String text = string(key);
    try {
      return parser.apply(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + text + "'", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }
}
