package io.rtx.ledgersink;

import static io.rtx.ledgersink.LedgerRecords.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the task decides before it reaches the database (which these tests never do). */
class LedgerSinkTaskTest {

  private final LedgerSinkTask task = new LedgerSinkTask();

  private StubContext start(boolean withReporter) {
    StubContext context = new StubContext(withReporter);
    task.initialize(context);
    // Port 1 on loopback: any attempt to connect fails.
    task.start(
        Map.of("connection.url", "jdbc:postgresql://127.0.0.1:1/none", "retry.backoff.ms", "250"));
    return context;
  }

  @AfterEach
  void stop() {
    task.stop();
  }

  @Test
  void recordsThatAreNoLedgerTransactionGoToTheReporterInOrderWithTheirReason() {
    StubContext context = start(true);
    SinkRecord tombstone = raw(null, null, 2, 40);
    SinkRecord text = raw(Schema.STRING_SCHEMA, "not a transaction", 2, 41);
    task.put(List.of(tombstone, text));

    assertThat(context.reported).containsExactly(tombstone, text);
    assertThat(context.reasons)
        .allSatisfy(e -> assertThat(e).isInstanceOf(DataException.class))
        .extracting(Throwable::getMessage)
        .containsExactly(
            "null value (a tombstone), not a LedgerTransaction",
            "value is a java.lang.String, not a LedgerTransaction Struct (the sink needs the Avro"
                + " converter)");
    assertThat(task.refused()).isEqualTo(2);
    assertThat(task.booked()).isZero();
  }

  @Test
  void withoutAReporterARefusedRecordFailsTheTaskSayingHowToGoOn() {
    start(false);
    assertThatThrownBy(() -> task.put(List.of(raw(null, null, 4, 7))))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("record at topic ledger.entries partition 4 offset 7")
        .hasMessageContaining("tombstone")
        .hasMessageContaining("errors.tolerance=all")
        .hasMessageContaining("errors.deadletterqueue.topic.name");
  }

  @Test
  void anUnreachableDatabaseIsRetriableAndAsksConnectToWait() {
    StubContext context = start(true);
    SinkRecord good =
        new LedgerRecords()
            .record(LedgerRecords.trade("T-1", "ACC-1", "HOUSE-USD", "USD", "10.5"), 0, 1);
    assertThatThrownBy(() -> task.put(List.of(good)))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("SQLState 08");
    assertThat(context.timeout).isEqualTo(250L);
    assertThat(context.reported).isEmpty();
  }

  @Test
  void theInsertSkipsEntriesThatLandedAlready() {
    LedgerWriter writer =
        new LedgerWriter(
            new LedgerSinkConfig(Map.of("connection.url", "jdbc:postgresql://127.0.0.1:1/none")));
    assertThat(writer.insertStatement())
        .isEqualTo(
            "INSERT INTO \"transactions\".\"ledger\" (\"entry_id\", \"transaction_id\","
                + " \"account_id\", \"currency\", \"amount\", \"kind\", \"reference\","
                + " \"created_at\") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO"
                + " NOTHING");
  }

  @Test
  void anEmptyBatchDoesNotConnect() {
    StubContext context = start(true);
    task.put(List.of());
    assertThat(context.timeout).isEqualTo(-1L);
  }
}
