package io.rtx.copysink;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Where each column's value comes from in a value Struct of one schema: the column list
 * (configured, or every field of the schema) resolved to {@link Field}s once, so encoding a row
 * does no name look-ups.
 */
final class RowLayout {

  private final Schema schema;
  private final List<String> columns;
  private final Field[] fields;
  private final boolean[] key;

  private RowLayout(Schema schema, List<String> columns, Field[] fields, boolean[] key) {
    this.schema = schema;
    this.columns = columns;
    this.fields = fields;
    this.key = key;
  }

  /**
   * The layout for values of {@code schema}.
   *
   * @param configured the configured columns; empty for every field of the schema
   * @param previous the last layout, whose column list is reused when equal (cheap comparisons
   *     later)
   * @throws DataException if the schema lacks a key column or a configured column
   */
  static RowLayout of(
      Schema schema, List<String> configured, Set<String> keyColumns, RowLayout previous) {
    List<String> columns = configured;
    if (columns.isEmpty()) {
      List<String> names = new ArrayList<>(schema.fields().size());
      schema.fields().forEach(f -> names.add(f.name()));
      columns =
          previous != null && previous.columns.equals(names)
              ? previous.columns
              : List.copyOf(names);
      for (String k : keyColumns) {
        if (!columns.contains(k)) {
          throw new DataException("value lacks key column '" + k + "' (fields: " + columns + ")");
        }
      }
    }
    Field[] fields = new Field[columns.size()];
    boolean[] key = new boolean[columns.size()];
    for (int i = 0; i < fields.length; i++) {
      String column = columns.get(i);
      fields[i] = schema.field(column);
      key[i] = keyColumns.contains(column);
      if (fields[i] == null) {
        throw new DataException(
            "value lacks "
                + (key[i] ? "key " : "")
                + "column '"
                + column
                + "' (fields: "
                + schema.fields().stream().map(Field::name).toList()
                + ")");
      }
    }
    return new RowLayout(schema, columns, fields, key);
  }

  Schema schema() {
    return schema;
  }

  List<String> columns() {
    return columns;
  }

  /**
   * Appends {@code value} as one COPY text row; on failure {@code out} is left as it was.
   *
   * @return the row's key: the COPY text of its key columns, in column order, separated by a tab
   *     (which the text of a value never contains unescaped). Equal keys are equal values to
   *     PostgreSQL; the converse does not always hold (e.g. decimals 1.0 and 1.00), which the
   *     insert's fallback path takes care of.
   */
  String appendRow(StringBuilder out, Struct value) {
    int start = out.length();
    StringBuilder keyText = new StringBuilder(64);
    boolean firstKey = true;
    try {
      for (int i = 0; i < fields.length; i++) {
        if (i > 0) {
          out.append(CopyTextFormat.DELIMITER);
        }
        Object v = value.get(fields[i]);
        if (v == null && key[i]) {
          throw new DataException("key column '" + fields[i].name() + "' is null");
        }
        int fieldStart = out.length();
        CopyTextFormat.appendValue(out, fields[i].schema(), v);
        if (key[i]) {
          if (!firstKey) {
            keyText.append(CopyTextFormat.DELIMITER);
          }
          firstKey = false;
          keyText.append(out, fieldStart, out.length());
        }
      }
      out.append(CopyTextFormat.ROW_END);
      return keyText.toString();
    } catch (RuntimeException e) {
      out.setLength(start);
      throw e instanceof DataException
          ? e
          : new DataException("column value cannot be encoded: " + e, e);
    }
  }
}
