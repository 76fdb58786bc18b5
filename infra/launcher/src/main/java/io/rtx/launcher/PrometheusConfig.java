package io.rtx.launcher;

import io.rtx.schemas.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus configuration of a stack: {@code infra/prometheus/prometheus.template.yml} with
 * each {@code ${RTX_…_PORT}} replaced by that component's port in the stack and {@code
 * ${RTX_PROMETHEUS_RULES}} by the rules folder {@code infra/prometheus/rules}.
 */
public final class PrometheusConfig {

  /** The template, relative to the repository. */
  public static final String TEMPLATE = "infra/prometheus/prometheus.template.yml";

  /** The alert rules folder, relative to the repository. */
  public static final String RULES = "infra/prometheus/rules";

  /** The placeholder of the rules folder. */
  public static final String RULES_VARIABLE = "RTX_PROMETHEUS_RULES";

  /**
   * The components that serve Prometheus metrics, each a scrape job of the template named by its
   * {@link Component#id()}. The broker, Connect and the registry serve none (JMX only); PostgreSQL
   * and Redis through their exporters.
   */
  public static final Set<Component> SCRAPED =
      Collections.unmodifiableSet(
          EnumSet.of(
              Component.CANDLES,
              Component.QUOTES,
              Component.ORDERS,
              Component.OPS,
              Component.POSTGRES_EXPORTER,
              Component.REDIS_EXPORTER));

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

  private PrometheusConfig() {}

  /** What each placeholder of the template stands for in the stack {@code s}. */
  public static Map<String, String> values(StackSettings s) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Component c : Component.values()) {
      values.put(c.portVariable(), Integer.toString(s.port(c)));
    }
    values.put(RULES_VARIABLE, s.repo().resolve(RULES).toAbsolutePath().toString());
    return values;
  }

  /** {@code template} with every placeholder replaced; an unknown one is an error, not a blank. */
  public static String render(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(
            "unknown placeholder ${" + m.group(1) + "} in the Prometheus template");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Where the rendered configuration of a stack lives: {@code conf/prometheus.yml}. */
  public static Path file(StackSettings s) {
    return s.conf().resolve("prometheus.yml");
  }

  /** Renders the template for the stack {@code s} into {@link #file}; returns that file. */
  public static Path write(StackSettings s) throws IOException {
    String template = Files.readString(s.repo().resolve(TEMPLATE));
    Path file = file(s);
    Files.createDirectories(file.getParent());
    Files.writeString(file, render(template, values(s)));
    return file;
  }
}
