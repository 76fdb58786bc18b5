package io.rtx.copysink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the task decides before it talks to the database (which these tests never reach). */
class CopySinkTaskTest {

  private final CopySinkTask task = new CopySinkTask();

  private StubContext start(boolean withReporter) {
    StubContext context = new StubContext(withReporter);
    task.initialize(context);
    // Port 1 on loopback: any attempt to connect would fail, and no test here gets that far.
    Map<String, String> props = CopySinkConfigTest.minimal();
    props.put("connection.url", "jdbc:postgresql://127.0.0.1:1/none");
    task.start(props);
    return context;
  }

  @AfterEach
  void stop() {
    task.stop();
  }

  private static SinkRecord raw(Schema schema, Object value, long offset) {
    return new SinkRecord(Ticks.TOPIC, 2, Schema.STRING_SCHEMA, "EURUSD", schema, value, offset);
  }

  @Test
  void tombstonesAreSkippedAndCounted() {
    start(false);
    task.put(List.of(raw(null, null, 1), raw(Ticks.SCHEMA, null, 2)));
    task.flush(Map.of()); // nothing buffered: no connection needed
    assertThat(task.tombstones()).isEqualTo(2);
  }

  @Test
  void aValueThatIsNotAStructFailsTheTaskNamingTheRecord() {
    start(false);
    assertThatThrownBy(
            () -> task.put(List.of(raw(Schema.STRING_SCHEMA, "{\"symbol\":\"EURUSD\"}", 41))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic market.ticks partition 2 offset 41")
        .hasMessageContaining("not a Struct");
  }

  @Test
  void aValueWithoutAKeyColumnFailsTheTask() {
    start(false);
    Schema noSeq =
        org.apache.kafka.connect.data.SchemaBuilder.struct()
            .field("symbol", Schema.STRING_SCHEMA)
            .field("ts", Schema.INT64_SCHEMA)
            .build();
    assertThatThrownBy(
            () ->
                task.put(
                    List.of(raw(noSeq, new Struct(noSeq).put("symbol", "X").put("ts", 1L), 7))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("lacks key column 'seq'");
  }

  @Test
  void withAnErrantRecordReporterBadRecordsAreReportedAndSkipped() {
    StubContext context = start(true);
    SinkRecord bad = raw(Schema.STRING_SCHEMA, "not a struct", 3);
    task.put(List.of(Ticks.record(Ticks.tick("EURUSD", 1), 2, 2), bad));
    assertThat(context.reported).containsExactly(bad);
    assertThat(task.rejected()).isEqualTo(1);
  }
}
