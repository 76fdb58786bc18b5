package io.rtx.common;

import io.rtx.schemas.Names;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * An app's settings: the app's defaults (classpath {@code <app>.properties}), then a properties
 * file ({@code --config FILE} or {@code RTX_CONFIG}), then environment variables. Each setting has
 * one name, e.g. {@code kafka.bootstrap.servers}, and one environment name, {@code RTX_} + the name
 * upper-cased with dots and dashes as underscores ({@code RTX_KAFKA_BOOTSTRAP_SERVERS}). Settings
 * under {@code kafka.} are passed to Kafka clients without the prefix; any Kafka client setting can
 * be given as {@code RTX_KAFKA_*} even without a default. Every other setting must have a default
 * in the app's properties.
 */
public final class Settings {

  public static final String ENV_PREFIX = Names.ENV_PREFIX;
  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public static Settings load(String app, String[] args) {
    return load(app, args, System.getenv());
  }

  /**
   * The defaults alone: {@code rtx-common.properties} and the app's {@code <app>.properties},
   * without a settings file or the environment. The app's resource is the one place its settings
   * and their defaults are written down.
   *
   * @throws IllegalStateException when {@code <app>.properties} is not on the classpath
   */
  public static Settings defaults(String app) {
    if (Settings.class.getClassLoader().getResource(app + ".properties") == null) {
      throw new IllegalStateException(
          app + ".properties (the defaults of " + app + ") is not on the classpath");
    }
    return load(app, new String[0], Map.of());
  }

  /** As {@link #load(String, String[])}, with {@code env} in place of the process environment. */
  public static Settings load(String app, String[] args, Map<String, String> env) {
    Map<String, String> v = new TreeMap<>();
    readResource("rtx-common.properties", v);
    readResource(app + ".properties", v);
    String file = env.get(ENV_PREFIX + "CONFIG");
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--config")) {
        file = args[i + 1];
      }
    }
    if (file != null) {
      readFile(Path.of(file), v);
    }
    applyEnvironment(v, env);
    return new Settings(v);
  }

  /** The environment variable that overrides a setting. */
  public static String envName(String setting) {
    return Names.envName(setting);
  }

  private static void applyEnvironment(Map<String, String> v, Map<String, String> env) {
    Map<String, String> known = new TreeMap<>();
    v.keySet().forEach(k -> known.put(envName(k), k));
    env.forEach(
        (name, value) -> {
          if (!name.startsWith(ENV_PREFIX) || name.equals(ENV_PREFIX + "CONFIG")) {
            return;
          }
          // Known settings map exactly; any Kafka client setting can be given as RTX_KAFKA_<NAME>,
          // underscores
          // read as dots. Other RTX_* variables (the local stack's) are not settings.
          String key = known.get(name);
          if (key == null && name.startsWith(ENV_PREFIX + "KAFKA_")) {
            key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
          }
          if (key != null) {
            v.put(key, value);
          }
        });
  }

  private static void readResource(String name, Map<String, String> into) {
    try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(name)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        p.stringPropertyNames().forEach(k -> into.put(k, p.getProperty(k).trim()));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }

  private static void readFile(Path file, Map<String, String> into) {
    try (Reader r = Files.newBufferedReader(file)) {
      Properties p = new Properties();
      p.load(r);
      p.stringPropertyNames().forEach(k -> into.put(k, p.getProperty(k).trim()));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read settings file " + file + ": " + e.getMessage(), e);
    }
  }

  public String get(String name) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(
          "setting " + name + " is required (environment " + envName(name) + ")");
    }
    return v;
  }

  public String get(String name, String fallback) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  public int getInt(String name) {
    try {
      return Integer.parseInt(get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting " + name + " must be an integer, got " + values.get(name));
    }
  }

  public Duration getDuration(String name) {
    return Durations.parse(name, get(name));
  }

  public List<String> getList(String name) {
    return List.of(get(name).split("\\s*,\\s*"));
  }

  /** These settings with {@code overrides} (null values skipped) replacing or adding to them. */
  public Settings with(Map<String, String> overrides) {
    Map<String, String> v = new TreeMap<>(values);
    overrides.forEach(
        (name, value) -> {
          if (value != null) {
            v.put(name, value);
          }
        });
    return new Settings(v);
  }

  /** Every setting, for app-specific settings records that read their own names. */
  public Map<String, String> asMap() {
    return values;
  }

  /**
   * Settings under {@code prefix}, with the prefix removed: {@code kafka.} gives Kafka client
   * configs.
   */
  public Properties withPrefix(String prefix) {
    Properties p = new Properties();
    values.forEach(
        (k, val) -> {
          if (k.startsWith(prefix) && !val.isEmpty()) {
            p.setProperty(k.substring(prefix.length()), val);
          }
        });
    return p;
  }
}
