package io.rtx.tools;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options that bound a simulation and say how much it prints, checked as they are parsed: a
 * value that makes no sense is refused with the option's name before anything is sent.
 */
final class RunLimits {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  private long count = Long.MAX_VALUE;
  private Duration duration;

  @Option(names = "--quiet", description = "No progress lines, only the summary.")
  boolean quiet;

  @Option(names = "--count", description = "Stop after this many sent.")
  void count(long value) {
    count = Flags.atLeast(spec, "--count", value, 1);
  }

  @Option(names = "--duration", description = "Stop after this long, e.g. 30s or 5m.")
  void duration(String value) {
    duration = Flags.positiveDuration(spec, "--duration", value);
  }

  /** How many to send at the most; {@code Long.MAX_VALUE}: no limit. */
  long count() {
    return count;
  }

  /** How long to send; null: no limit. */
  Duration duration() {
    return duration;
  }

  /** Whether the run stops by itself, by count or by time. */
  boolean bounded() {
    return count != Long.MAX_VALUE || duration != null;
  }
}
