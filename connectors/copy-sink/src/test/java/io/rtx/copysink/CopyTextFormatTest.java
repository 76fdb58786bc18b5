package io.rtx.copysink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TimeZone;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class CopyTextFormatTest {

  private static String text(Schema schema, Object value) {
    StringBuilder out = new StringBuilder();
    CopyTextFormat.appendValue(out, schema, value);
    return out.toString();
  }

  @Test
  void escapesTheTextFormatsSpecialCharacters() {
    assertThat(text(Schema.STRING_SCHEMA, "a\tb\nc\rd\\e")).isEqualTo("a\\tb\\nc\\rd\\\\e");
    assertThat(text(Schema.STRING_SCHEMA, "\\N"))
        .as("a literal \\N is not NULL")
        .isEqualTo("\\\\N");
    assertThat(text(Schema.STRING_SCHEMA, "\\."))
        .as("nor the end-of-data marker")
        .isEqualTo("\\\\.");
    assertThat(text(Schema.STRING_SCHEMA, "ÉUR \"q\" ,;|€✓")).isEqualTo("ÉUR \"q\" ,;|€✓");
    assertThat(text(Schema.STRING_SCHEMA, "")).isEmpty();
  }

  @Test
  void nullIsBackslashN() {
    assertThat(text(Ticks.OPTIONAL_DECIMAL, null)).isEqualTo("\\N");
    assertThat(text(Schema.OPTIONAL_STRING_SCHEMA, null)).isEqualTo("\\N");
  }

  @Test
  void rejectsWhatPostgresCannotStore() {
    assertThatThrownBy(() -> text(Schema.STRING_SCHEMA, "a\0b"))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("NUL");
    Schema nested = SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).build();
    assertThatThrownBy(() -> text(nested, new Struct(nested).put("x", 1)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("STRUCT");
  }

  @Test
  void decimalsAreExactAtScale8AndNeverUseAnExponent() {
    assertThat(text(Ticks.DECIMAL, new BigDecimal("0.00000001"))).isEqualTo("0.00000001");
    assertThat(text(Ticks.DECIMAL, new BigDecimal("123456789012.12345678")))
        .isEqualTo("123456789012.12345678");
    assertThat(text(Ticks.DECIMAL, new BigDecimal("-1.10000000"))).isEqualTo("-1.10000000");
    assertThat(text(Ticks.DECIMAL, new BigDecimal("0E-8"))).isEqualTo("0.00000000");
    assertThat(text(Ticks.DECIMAL, BigDecimal.valueOf(1, -3))).isEqualTo("1000");
  }

  @Test
  void decimalsAreWrittenAsToPlainStringWritesThem() {
    List<BigDecimal> values = new ArrayList<>();
    for (String s :
        List.of(
            "0.1",
            "-0.00000001",
            "9223372036854775807",
            "-9223372036854775808",
            "0.9223372036854775807",
            "-4611686018427387904.5",
            "4611686018427387903.1",
            "0.000000000000000001",
            "1E+5",
            "1.0000000000000000000001")) {
      values.add(new BigDecimal(s));
    }
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      long unscaled =
          random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(2_000_000) - 1_000_000;
      values.add(BigDecimal.valueOf(unscaled, random.nextInt(22) - 2));
    }
    for (BigDecimal v : values) {
      assertThat(text(Ticks.DECIMAL, v)).as("%s", v).isEqualTo(v.toPlainString());
    }
  }

  @Test
  void timestampsAreWrittenAsTheFormatterWritesThem() {
    DateTimeFormatter formatter =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    List<Long> millis =
        new ArrayList<>(
            List.of(
                0L,
                -1L,
                Instant.parse("0000-01-01T00:00:00Z").toEpochMilli(),
                Instant.parse("0000-01-01T00:00:00Z").toEpochMilli() - 1,
                Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(),
                Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli() + 1,
                Instant.parse("2024-02-29T12:00:00.050Z").toEpochMilli()));
    Random random = new Random(11);
    for (int i = 0; i < 10_000; i++) {
      millis.add(random.nextLong() % 400_000_000_000_000L);
    }
    for (long ms : millis) {
      assertThat(text(Timestamp.SCHEMA, new Date(ms)))
          .as("%d", ms)
          .isEqualTo(formatter.format(Instant.ofEpochMilli(ms)));
    }
  }

  @Test
  void timestampsAreUtcWithMillisecondsWhateverTheDefaultTimeZone() {
    Date date = Date.from(Instant.parse("2026-11-26T23:59:59.007Z"));
    TimeZone saved = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
      assertThat(text(Timestamp.SCHEMA, date)).isEqualTo("2026-11-26T23:59:59.007Z");
      assertThat(text(Timestamp.SCHEMA, new Date(0))).isEqualTo("1970-01-01T00:00:00.000Z");
      assertThat(
              text(
                  org.apache.kafka.connect.data.Date.SCHEMA,
                  Date.from(Instant.parse("2026-11-26T00:00:00Z"))))
          .isEqualTo("2026-11-26");
      assertThat(text(Time.SCHEMA, new Date(3_723_004))).isEqualTo("01:02:03.004");
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  @Test
  void primitives() {
    assertThat(text(Schema.INT64_SCHEMA, Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
    assertThat(text(Schema.INT32_SCHEMA, 42)).isEqualTo("42");
    assertThat(text(Schema.INT16_SCHEMA, (short) -7)).isEqualTo("-7");
    assertThat(text(Schema.INT8_SCHEMA, (byte) -128)).isEqualTo("-128");
    assertThat(text(Schema.BOOLEAN_SCHEMA, true)).isEqualTo("t");
    assertThat(text(Schema.BOOLEAN_SCHEMA, false)).isEqualTo("f");
    assertThat(text(Schema.FLOAT64_SCHEMA, 1.5d)).isEqualTo("1.5");
    assertThat(text(Schema.BYTES_SCHEMA, new byte[] {0x0a, (byte) 0xff})).isEqualTo("\\\\x0aff");
    assertThat(text(Schema.BYTES_SCHEMA, ByteBuffer.wrap(new byte[] {1}))).isEqualTo("\\\\x01");
  }

  @Test
  void aRowIsTabSeparatedAndEndsWithANewline() {
    RowLayout layout =
        RowLayout.of(
            Ticks.SCHEMA,
            List.of("symbol", "seq", "ts", "bid", "last_size", "venue"),
            Set.of("symbol", "seq", "ts"),
            null);
    StringBuilder out = new StringBuilder();
    String key =
        layout.appendRow(out, Ticks.tick("EURUSD", 3).put("last_size", null).put("venue", "a\tb"));
    assertThat(out).hasToString("EURUSD\t3\t2026-11-26T10:00:00.021Z\t1.08000003\t\\N\ta\\tb\n");
    assertThat(key)
        .as("the key columns' text, in column order")
        .isEqualTo("EURUSD\t3\t2026-11-26T10:00:00.021Z");
  }

  @Test
  void aRowThatFailsLeavesNothingBehind() {
    Schema schema =
        SchemaBuilder.struct()
            .field("k", Schema.OPTIONAL_STRING_SCHEMA)
            .field("v", Schema.STRING_SCHEMA)
            .build();
    RowLayout layout = RowLayout.of(schema, List.of(), Set.of("k"), null);
    StringBuilder out = new StringBuilder("before\n");
    assertThatThrownBy(() -> layout.appendRow(out, new Struct(schema).put("v", "x")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("key column 'k' is null");
    assertThatThrownBy(() -> layout.appendRow(out, new Struct(schema).put("k", "1").put("v", "\0")))
        .isInstanceOf(DataException.class);
    assertThat(out).hasToString("before\n");
  }

  @Test
  void aSchemaWithoutTheKeyOrAConfiguredColumnHasNoLayout() {
    assertThatThrownBy(() -> RowLayout.of(Ticks.SCHEMA, List.of(), Set.of("symbol", "id"), null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("lacks key column 'id'");
    assertThatThrownBy(
            () -> RowLayout.of(Ticks.SCHEMA, List.of("symbol", "mid"), Set.of("symbol"), null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("lacks column 'mid'");
  }
}
