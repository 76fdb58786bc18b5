package io.rtx.common;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Fields of Avro records whose schema another system wrote (Debezium's row images and change
 * events), read by name: text, exact decimals (Avro {@code decimal} as bytes), numbers.
 */
public final class GenericRows {

  private GenericRows() {}

  public static String text(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : v.toString();
  }

  public static Integer integer(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : ((Number) v).intValue();
  }

  public static Long longValue(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : ((Number) v).longValue();
  }

  /** An Avro decimal (bytes with a {@code decimal} logical type, possibly in a union with null). */
  public static BigDecimal decimal(GenericRecord r, String field) {
    Object v = r.get(field);
    if (v == null || v instanceof BigDecimal) {
      return (BigDecimal) v;
    }
    Schema schema = r.getSchema().getField(field).schema();
    if (schema.getType() == Schema.Type.UNION) {
      schema =
          schema.getTypes().stream()
              .filter(s -> s.getType() != Schema.Type.NULL)
              .findFirst()
              .orElseThrow();
    }
    return new Conversions.DecimalConversion()
        .fromBytes(
            ((ByteBuffer) v).duplicate(), schema, (LogicalTypes.Decimal) schema.getLogicalType());
  }
}
