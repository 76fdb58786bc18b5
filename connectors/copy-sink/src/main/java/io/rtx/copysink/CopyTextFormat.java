package io.rtx.copysink;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * Writes Connect values in PostgreSQL's COPY <em>text</em> format: columns separated by a tab, rows
 * ended by a newline, NULL as {@code \N}, and backslash, tab, newline and carriage return escaped
 * with a backslash.
 *
 * <p>Logical types: {@code Decimal} as {@link BigDecimal#toPlainString()} (exact, never an
 * exponent); {@code Timestamp} as ISO-8601 UTC with milliseconds and {@code Z} (e.g. {@code
 * 2026-01-02T03:04:05.678Z}), so a {@code timestamptz} column gets the same instant whatever the
 * JVM's or the session's time zone; {@code Date} as {@code yyyy-MM-dd} and {@code Time} as {@code
 * HH:mm:ss.SSS}, both in UTC as Connect defines them. Bytes become {@code bytea} hex ({@code
 * \\x0a1b}). Structs, arrays and maps have no column representation and are rejected.
 */
final class CopyTextFormat {

  static final char DELIMITER = '\t';
  static final char ROW_END = '\n';
  static final String NULL = "\\N";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CopyTextFormat() {}

  /**
   * Appends {@code value} (described by {@code schema}) as one COPY text field; {@code null}
   * becomes {@code \N}.
   */
  static void appendValue(StringBuilder out, Schema schema, Object value) {
    if (value == null) {
      out.append(NULL);
      return;
    }
    String logical = schema.name();
    if (logical != null) {
      switch (logical) {
        case org.apache.kafka.connect.data.Decimal.LOGICAL_NAME -> {
          appendDecimal(out, (BigDecimal) value);
          return;
        }
        case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME -> {
          appendTimestamp(out, ((Date) value).getTime());
          return;
        }
        case org.apache.kafka.connect.data.Date.LOGICAL_NAME -> {
          DATE.formatTo(instant(value), out);
          return;
        }
        case org.apache.kafka.connect.data.Time.LOGICAL_NAME -> {
          TIME.formatTo(instant(value), out);
          return;
        }
        default -> {} // other named schemas: by their physical type
      }
    }
    switch (schema.type()) {
      case STRING -> appendEscaped(out, (String) value);
      case INT8, INT16, INT32, INT64 -> out.append(((Number) value).longValue());
      case FLOAT32, FLOAT64 -> out.append(value);
      case BOOLEAN -> out.append((Boolean) value ? 't' : 'f');
      case BYTES -> appendBytea(out, value);
      default ->
          throw new DataException(
              "a "
                  + schema.type()
                  + " value has no COPY text form; only primitive"
                  + " and Decimal/Timestamp/Date/Time values can be written to a column");
    }
  }

  /**
   * Appends {@code s} escaped for the text format. A NUL character cannot be stored in PostgreSQL
   * text.
   */
  static void appendEscaped(StringBuilder out, CharSequence s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\0' ->
            throw new DataException("text contains a NUL character, which PostgreSQL cannot store");
        default -> out.append(c);
      }
    }
  }

  // Every row has a timestamp and decimals: these two write them as TIMESTAMP and toPlainString()
  // do, without the intermediate objects that made them a fifth of the sink's CPU samples.

  /** {@link BigDecimal#toPlainString()}, written straight into {@code out}. */
  static void appendDecimal(StringBuilder out, BigDecimal value) {
    int scale = value.scale();
    BigInteger unscaled = value.unscaledValue();
    if (scale <= 0 || scale > 18 || unscaled.bitLength() >= Long.SIZE - 1) {
      out.append(value.toPlainString());
      return;
    }
    long v = unscaled.longValue();
    if (v < 0) {
      out.append('-');
      v = -v;
    }
    long unit = POWERS_OF_TEN[scale];
    appendDigits(out.append(v / unit).append('.'), v % unit, scale);
  }

  /** {@link #TIMESTAMP}'s text of {@code epochMillis}, for years 0 to 9999 without a formatter. */
  static void appendTimestamp(StringBuilder out, long epochMillis) {
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochMillis, DAY_MS));
    if (date.getYear() < 0 || date.getYear() > 9999) {
      TIMESTAMP.formatTo(Instant.ofEpochMilli(epochMillis), out);
      return;
    }
    int ms = (int) Math.floorMod(epochMillis, DAY_MS);
    appendDigits(out, date.getYear(), 4);
    appendDigits(out.append('-'), date.getMonthValue(), 2);
    appendDigits(out.append('-'), date.getDayOfMonth(), 2);
    appendDigits(out.append('T'), ms / 3_600_000, 2);
    appendDigits(out.append(':'), ms / 60_000 % 60, 2);
    appendDigits(out.append(':'), ms / 1000 % 60, 2);
    appendDigits(out.append('.'), ms % 1000, 3);
    out.append('Z');
  }

  /** {@code value} ≥ 0 with leading zeros to {@code width} digits. */
  private static void appendDigits(StringBuilder out, long value, int width) {
    for (long p = POWERS_OF_TEN[width - 1]; p > value && p > 1; p /= 10) {
      out.append('0');
    }
    out.append(value);
  }

  private static final long DAY_MS = 86_400_000L;

  private static final long[] POWERS_OF_TEN = new long[19];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = 10 * POWERS_OF_TEN[i - 1];
    }
  }

  private static Instant instant(Object value) {
    return Instant.ofEpochMilli(((Date) value).getTime());
  }

  private static void appendBytea(StringBuilder out, Object value) {
    ByteBuffer bytes =
        value instanceof ByteBuffer b ? b.duplicate() : ByteBuffer.wrap((byte[]) value);
    out.append("\\\\x"); // the escaped backslash of bytea's hex format
    while (bytes.hasRemaining()) {
      byte b = bytes.get();
      out.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
  }
}
