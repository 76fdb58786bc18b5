package io.rtx.copysink;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Rows waiting for the next flush: their COPY text, the column list they share and the records they
 * came from (row {@code i} is {@code record(i)}, to name the record behind a row the database
 * rejects).
 *
 * <p>At most one row per key: a record whose key columns encode to the same text as a buffered
 * row's is not appended (the first occurrence wins, as redeliveries are identical records) but
 * counted in {@link #size()}. So the text never repeats a key by its text form, and a direct COPY
 * into the table cannot fail on a duplicate from within the batch (only keys equal to PostgreSQL
 * but written differently, e.g. decimals {@code 1.0} and {@code 1.00}, can still meet in one batch;
 * the writer's fallback handles those).
 */
final class CopyBuffer {

  /** A position to {@link #truncate} back to. */
  record Mark(int length, int rows, int duplicates) {}

  private final StringBuilder text = new StringBuilder(1 << 16);
  private final ArrayList<SinkRecord> records = new ArrayList<>();
  private final ArrayList<String> rowKeys = new ArrayList<>();
  private final HashSet<String> keys = new HashSet<>();
  private int duplicates;
  private List<String> columns; // null while empty

  /**
   * Appends the record's value as a row, unless a buffered row has the same key; on failure nothing
   * is appended.
   *
   * @return false if the record repeated a buffered key and was dropped
   */
  boolean append(SinkRecord record, RowLayout layout) {
    if (columns != null && layout.columns() != columns && !layout.columns().equals(columns)) {
      throw new IllegalStateException("rows of one flush must share a column list");
    }
    int start = text.length();
    String key = layout.appendRow(text, (Struct) record.value());
    if (!keys.add(key)) {
      text.setLength(start);
      duplicates++;
      return false;
    }
    records.add(record);
    rowKeys.add(key);
    columns = layout.columns();
    return true;
  }

  /** Records buffered since the last clear, those dropped as repeated keys included. */
  int size() {
    return records.size() + duplicates;
  }

  /** Rows in the text: one per distinct key. */
  int rows() {
    return records.size();
  }

  /** Records dropped because their key was buffered already. */
  int duplicates() {
    return duplicates;
  }

  boolean isEmpty() {
    return records.isEmpty();
  }

  /** The columns of every buffered row; null when empty. */
  List<String> columns() {
    return columns;
  }

  CharSequence text() {
    return text;
  }

  SinkRecord record(int row) {
    return records.get(row);
  }

  Mark mark() {
    return new Mark(text.length(), records.size(), duplicates);
  }

  void truncate(Mark mark) {
    text.setLength(mark.length());
    if (mark.rows() == 0) {
      keys.clear();
    } else {
      for (int i = mark.rows(); i < rowKeys.size(); i++) {
        keys.remove(rowKeys.get(i));
      }
    }
    rowKeys.subList(mark.rows(), rowKeys.size()).clear();
    records.subList(mark.rows(), records.size()).clear();
    duplicates = mark.duplicates();
    if (records.isEmpty()) {
      columns = null;
    }
  }

  void clear() {
    truncate(new Mark(0, 0, 0));
    if (text.capacity() > (64 << 20)) {
      text.trimToSize(); // don't hold on to an outsized buffer after a burst
    }
  }
}
