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

  /** A position to {@link #truncate} back to: the rows appended before it, and the repeats. */
  record Mark(long appended, int duplicates) {}

  private final StringBuilder text = new StringBuilder(1 << 16);
  private final ArrayList<SinkRecord> records = new ArrayList<>();
  private final ArrayList<String> rowKeys = new ArrayList<>();
  private final ArrayList<Long> ordinals = new ArrayList<>(); // of each row, in append order
  private long appended;
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
    ordinals.add(appended++);
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

  /**
   * Takes row {@code row} out (a row the table refuses). Its key stays taken, so a redelivery of
   * the same record in this flush is dropped as a repeat rather than tried again.
   */
  void remove(int row) {
    int start = 0;
    for (int i = 0; i < row; i++) {
      start = text.indexOf("\n", start) + 1;
    }
    text.delete(start, text.indexOf("\n", start) + 1);
    records.remove(row);
    rowKeys.remove(row);
    ordinals.remove(row);
    if (records.isEmpty()) {
      columns = null;
    }
  }

  Mark mark() {
    return new Mark(appended, duplicates);
  }

  /** Drops the rows appended since {@code mark}, whatever rows were {@link #remove}d meanwhile. */
  void truncate(Mark mark) {
    int keep = 0;
    int length = 0;
    while (keep < ordinals.size() && ordinals.get(keep) < mark.appended()) {
      length = text.indexOf("\n", length) + 1;
      keep++;
    }
    text.setLength(length);
    if (keep == 0) {
      keys.clear();
    } else {
      for (int i = keep; i < rowKeys.size(); i++) {
        keys.remove(rowKeys.get(i));
      }
    }
    rowKeys.subList(keep, rowKeys.size()).clear();
    records.subList(keep, records.size()).clear();
    ordinals.subList(keep, ordinals.size()).clear();
    appended = mark.appended();
    duplicates = mark.duplicates();
    if (records.isEmpty()) {
      columns = null;
    }
  }

  void clear() {
    truncate(new Mark(0, 0));
    if (text.capacity() > (64 << 20)) {
      text.trimToSize(); // don't hold on to an outsized buffer after a burst
    }
  }
}
