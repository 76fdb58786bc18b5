package io.rtx.tools;

import io.rtx.common.Durations;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of flag values that several commands share, called from the commands' validating setters
 * ({@code @Option} on a method), so picocli makes them while it parses: a value that makes no sense
 * is a usage error (exit 2) naming its flag, before the command connects to, starts or writes
 * anything. A check of two flags together, which no setter can make, goes through {@link #bad}.
 */
final class Flags {

  private Flags() {}

  /** A usage error of {@code spec}'s command. */
  static ParameterException bad(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code value} when it is at least {@code min}. */
  static long atLeast(CommandSpec spec, String flag, long value, long min) {
    if (value < min) {
      throw bad(spec, flag + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /** {@code value} when it is at least {@code min}. */
  static int atLeast(CommandSpec spec, String flag, int value, int min) {
    return (int) atLeast(spec, flag, (long) value, min);
  }

  /** {@code value} when it is {@code min..max}. */
  static int within(CommandSpec spec, String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw bad(spec, flag + " must be " + min + ".." + max + ", got " + value);
    }
    return value;
  }

  /** {@code value} when it is a number of 0 or more (not NaN, not infinite). */
  static double notNegative(CommandSpec spec, String flag, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw bad(spec, flag + " must be 0 or more, got " + value);
    }
    return value;
  }

  /** {@code value} when it is a fraction in [0, 1). */
  static double fraction(CommandSpec spec, String flag, double value) {
    if (!(value >= 0 && value < 1)) {
      throw bad(spec, flag + " must be a fraction in [0, 1), e.g. 0.01, got " + value);
    }
    return value;
  }

  /** A duration above zero: {@code 250ms}, {@code 5s}, {@code 1m}, or ISO-8601 ({@code PT5S}). */
  static Duration positiveDuration(CommandSpec spec, String flag, String text) {
    Duration d;
    try {
      d = Durations.parse(flag, text);
    } catch (IllegalArgumentException e) {
      throw bad(spec, flag + " must be a duration like 5s, 250ms or PT5S, got '" + text + "'");
    }
    if (d.isZero() || d.isNegative()) {
      throw bad(spec, flag + " must be above 0, got " + text);
    }
    return d;
  }

  /** The instruments {@code text} names ({@link Instrument#parse}). */
  static List<Instrument> instruments(CommandSpec spec, String flag, String text) {
    try {
      return Instrument.parse(text);
    } catch (IllegalArgumentException e) {
      throw bad(spec, flag + ": " + e.getMessage());
    }
  }
}
