package io.rtx.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in settings: {@code 250ms}, {@code 5s}, {@code 1m}, {@code 1h}, {@code 1d}, or ISO-8601
 * ({@code PT5S}).
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private Durations() {}

  /** Only the short form ({@code 5s}); empty when the text is not one. */
  public static Optional<Duration> parseShort(String text) {
    Matcher m = SHORT.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    ChronoUnit unit =
        switch (m.group(2)) {
          case "ms" -> ChronoUnit.MILLIS;
          case "s" -> ChronoUnit.SECONDS;
          case "m" -> ChronoUnit.MINUTES;
          case "h" -> ChronoUnit.HOURS;
          default -> ChronoUnit.DAYS;
        };
    return Optional.of(Duration.of(Long.parseLong(m.group(1)), unit));
  }

  /** The short form or ISO-8601; a message naming {@code setting} when the text is neither. */
  public static Duration parse(String setting, String text) {
    return parseShort(text)
        .orElseGet(
            () -> {
              try {
                return Duration.parse(text.trim());
              } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                    "setting "
                        + setting
                        + " must be a duration like 5s, 250ms or PT5S, got '"
                        + text
                        + "'");
              }
            });
  }
}
