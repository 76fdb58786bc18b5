package io.rtx.copysink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The buffer keeps one row per key, the first record of it, and forgets keys it truncates. */
class CopyBufferTest {

  private final RowLayout layout =
      RowLayout.of(Ticks.SCHEMA, List.of(), Set.of("symbol", "seq", "ts"), null);
  private final CopyBuffer buffer = new CopyBuffer();

  private boolean append(String symbol, long seq, String venue, long offset) {
    SinkRecord record = Ticks.record(Ticks.tick(symbol, seq).put("venue", venue), 0, offset);
    return buffer.append(record, layout);
  }

  private List<String> venues() {
    return buffer
        .text()
        .toString()
        .lines()
        .map(line -> line.substring(line.lastIndexOf('\t') + 1))
        .toList();
  }

  @Test
  void aRepeatedKeyIsDroppedAndTheFirstOccurrenceWins() {
    assertThat(append("EURUSD", 1, "first", 10)).isTrue();
    assertThat(append("EURUSD", 2, "other", 11)).isTrue();
    assertThat(append("EURUSD", 1, "second", 12)).isFalse();
    assertThat(append("GBPUSD", 1, "same seq and ts, other symbol", 13)).isTrue();

    assertThat(venues()).containsExactly("first", "other", "same seq and ts, other symbol");
    assertThat(List.of(buffer.size(), buffer.rows(), buffer.duplicates())).containsExactly(4, 3, 1);
    assertThat(buffer.record(2).kafkaOffset()).as("row i is record(i)").isEqualTo(13);
  }

  @Test
  void truncatingForgetsTheKeysOfTheDroppedRowsOnly() {
    append("EURUSD", 1, "a", 1);
    CopyBuffer.Mark mark = buffer.mark();
    append("EURUSD", 2, "b", 2);
    append("EURUSD", 1, "dup", 3);
    buffer.truncate(mark);
    assertThat(List.of(buffer.size(), buffer.rows(), buffer.duplicates())).containsExactly(1, 1, 0);

    assertThat(append("EURUSD", 2, "b again", 4)).as("truncated key is free again").isTrue();
    assertThat(append("EURUSD", 1, "dup", 5)).as("kept key still known").isFalse();
    assertThat(venues()).containsExactly("a", "b again");

    buffer.clear();
    assertThat(buffer.isEmpty()).isTrue();
    assertThat(buffer.columns()).isNull();
    assertThat(append("EURUSD", 1, "after clear", 6)).isTrue();
    assertThat(venues()).containsExactly("after clear");
  }

  @Test
  void aRemovedRowLeavesTheTextAndATruncateAfterItStillCutsAtItsMark() {
    append("EURUSD", 1, "a", 1);
    append("EURUSD", 2, "refused", 2);
    CopyBuffer.Mark mark = buffer.mark();
    append("EURUSD", 3, "c", 3);
    append("EURUSD", 4, "d", 4);

    buffer.remove(1);
    assertThat(venues()).containsExactly("a", "c", "d");
    assertThat(buffer.record(1).kafkaOffset()).isEqualTo(3);
    assertThat(append("EURUSD", 2, "refused again", 5)).as("its key stays taken").isFalse();

    buffer.truncate(mark);
    assertThat(venues()).containsExactly("a");
    assertThat(buffer.rows()).isEqualTo(1);
    assertThat(append("EURUSD", 3, "c again", 6)).isTrue();
    assertThat(venues()).containsExactly("a", "c again");
  }
}
