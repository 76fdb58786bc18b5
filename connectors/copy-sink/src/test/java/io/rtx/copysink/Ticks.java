package io.rtx.copysink;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The Connect form of schemas/src/main/avro/Tick.avsc, as the Avro converter produces it, and
 * records of it.
 */
final class Ticks {

  static final String TOPIC = "market.ticks";

  static final Schema DECIMAL = decimal().build();
  static final Schema OPTIONAL_DECIMAL = decimal().optional().build();
  static final Schema SCHEMA =
      SchemaBuilder.struct()
          .name("io.rtx.schemas.Tick")
          .field("symbol", Schema.STRING_SCHEMA)
          .field("seq", Schema.INT64_SCHEMA)
          .field("ts", Timestamp.SCHEMA)
          .field("bid", DECIMAL)
          .field("ask", DECIMAL)
          .field("bid_size", OPTIONAL_DECIMAL)
          .field("ask_size", OPTIONAL_DECIMAL)
          .field("last_price", OPTIONAL_DECIMAL)
          .field("last_size", OPTIONAL_DECIMAL)
          .field("venue", Schema.STRING_SCHEMA)
          .build();

  private Ticks() {}

  private static SchemaBuilder decimal() {
    return Decimal.builder(8).parameter("connect.decimal.precision", "20");
  }

  /** A tick whose values follow from symbol and seq; optional decimals set. */
  static Struct tick(String symbol, long seq) {
    BigDecimal bid = new BigDecimal("1.08000000").add(BigDecimal.valueOf(seq % 1000, 8));
    return new Struct(SCHEMA)
        .put("symbol", symbol)
        .put("seq", seq)
        .put("ts", Date.from(Instant.parse("2026-11-26T10:00:00Z").plusMillis(seq * 7)))
        .put("bid", bid)
        .put("ask", bid.add(new BigDecimal("0.00010000")))
        .put("bid_size", new BigDecimal("1000000.00000000"))
        .put("ask_size", new BigDecimal("2500000.12345678"))
        .put("last_price", bid)
        .put("last_size", BigDecimal.valueOf(seq, 8))
        .put("venue", "SIM");
  }

  static SinkRecord record(Struct value, int partition, long offset) {
    return new SinkRecord(
        TOPIC,
        partition,
        Schema.STRING_SCHEMA,
        value == null ? null : value.getString("symbol"),
        value == null ? null : SCHEMA,
        value,
        offset);
  }
}
