package io.rtx.candles;

import io.rtx.common.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * One candle interval: its label as configured ({@code 1s}, {@code 1m}, {@code 1d}) and its length.
 * Windows are aligned to the epoch, so {@code 1d} candles are UTC days.
 */
public record CandleInterval(String label, Duration size) {

  public CandleInterval {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(size, "size");
    if (label.isBlank() || label.contains(":")) {
      throw new IllegalArgumentException(
          "interval label '" + label + "' must be non-blank and without ':'");
    }
    if (size.toMillis() <= 0 || !size.equals(Duration.ofMillis(size.toMillis()))) {
      throw new IllegalArgumentException(
          "interval " + label + " must be a positive whole number of milliseconds, got " + size);
    }
  }

  /** Parses a label such as {@code 500ms}, {@code 1s}, {@code 15m}, {@code 1h}, {@code 1d}. */
  public static CandleInterval parse(String label) {
    String trimmed = label.trim();
    Duration size =
        Durations.parseShort(trimmed)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "interval '"
                            + trimmed
                            + "' is not a number followed by ms, s, m, h or d (e.g. 1s, 5m, 1d)"));
    return new CandleInterval(trimmed, size);
  }

  public long sizeMs() {
    return size.toMillis();
  }

  /** Name of the queryable window store that holds this interval's candles. */
  public String storeName() {
    return "candles-" + label;
  }
}
