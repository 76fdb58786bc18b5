package io.rtx.launcher;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A retention age as people write it ({@code 7 days}, {@code 36 hours}, {@code 2 weeks}), checked
 * before it reaches the database: a whole number and a unit, at least one hour. It then goes to
 * PostgreSQL as a value ({@code ?::interval}), never as SQL text.
 */
final class Retention {

  private static final Pattern FORM =
      Pattern.compile("(\\d{1,6})\\s*(hour|hours|day|days|week|weeks|month|months|year|years)");

  /**
   * A candle interval label as the candles app accepts it ({@code CandleInterval.parse}): a
   * positive whole number, then ms, s, m, h or d. The same rule as market.candles' check.
   */
  private static final Pattern LABEL = Pattern.compile("[0-9]{1,12}(ms|s|m|h|d)");

  private static final Pattern ZERO = Pattern.compile("0+(ms|s|m|h|d)");

  private Retention() {}

  /**
   * Ages by candle interval, {@code 1s=7 days,1m=90 days}, each label and age checked, no label
   * twice; {@code none} for no candle retention at all. Labels to ages as written, in order.
   */
  static Map<String, String> perInterval(String variable, String text) {
    String given = text == null ? "" : text.strip();
    Map<String, String> ages = new LinkedHashMap<>();
    if (given.equals("none")) {
      return Collections.unmodifiableMap(ages);
    }
    for (String entry : given.split(",", -1)) {
      int eq = entry.indexOf('=');
      String label = eq < 0 ? "" : entry.substring(0, eq).strip();
      if (eq < 0 || !LABEL.matcher(label).matches() || ZERO.matcher(label).matches()) {
        throw new IllegalArgumentException(
            variable
                + " must be interval=age pairs separated by commas, e.g. '1s=7 days,1m=90 days'"
                + " (an interval as in candles.intervals), or 'none'; got '"
                + text
                + "'");
      }
      String age = entry.substring(eq + 1).strip();
      check(variable + " (" + label + ")", age);
      if (ages.putIfAbsent(label, age) != null) {
        throw new IllegalArgumentException(
            variable + " names " + label + " twice; got '" + text + "'");
      }
    }
    return Collections.unmodifiableMap(ages);
  }

  /** The age, or a message naming {@code variable} that says what is wrong. */
  static Duration check(String variable, String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          variable
              + " must be a whole number and a unit (hours, days, weeks, months, years), e.g. '7 days'; got '"
              + text
              + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration unit =
        switch (m.group(2).replaceAll("s$", "")) {
          case "hour" -> Duration.ofHours(1);
          case "day" -> Duration.ofDays(1);
          case "week" -> Duration.ofDays(7);
          case "month" -> Duration.ofDays(30);
          default -> Duration.ofDays(365);
        };
    Duration age = unit.multipliedBy(n);
    if (age.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException(variable + " must be at least 1 hour; got '" + text + "'");
    }
    return age;
  }
}
