package io.rtx.connect.copysink;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Rows waiting for the next flush: their COPY text, the column list they share and the records they came from
 * (row {@code i} is {@code record(i)}, to name the record behind a row the database rejects).
 */
final class CopyBuffer {

    /** A position to {@link #truncate} back to. */
    record Mark(int length, int rows) {}

    private final StringBuilder text = new StringBuilder(1 << 16);
    private final ArrayList<SinkRecord> records = new ArrayList<>();
    private List<String> columns; // null while empty

    /** Appends the record's value as a row; on failure nothing is appended. */
    void append(SinkRecord record, RowLayout layout) {
        if (columns != null && layout.columns() != columns && !layout.columns().equals(columns)) {
            throw new IllegalStateException("rows of one flush must share a column list");
        }
        layout.appendRow(text, (Struct) record.value());
        records.add(record);
        columns = layout.columns();
    }

    int size() {
        return records.size();
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
        return new Mark(text.length(), records.size());
    }

    void truncate(Mark mark) {
        text.setLength(mark.length());
        records.subList(mark.rows(), records.size()).clear();
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
