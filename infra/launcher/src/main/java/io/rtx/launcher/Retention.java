package io.rtx.launcher;

import java.time.Duration;
import java.util.Locale;
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

  private Retention() {}

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
