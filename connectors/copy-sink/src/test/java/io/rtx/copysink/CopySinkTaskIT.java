package io.rtx.copysink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CopySinkTask} against the project's PostgreSQL + TimescaleDB (the test kit's stack,
 * migrations applied: the market.ticks hypertable). Every row these tests write has a symbol
 * starting with {@value #PREFIX}, and only those rows are read or deleted, so the tests also run
 * against a shared stack ({@code RTX_IT_STACK=running}).
 */
// Stops PostgreSQL mid-flush: a stack of its own.
@UsesLocalStack(
    value = {Component.POSTGRES},
    isolated = true)
class CopySinkTaskIT {

  static final String PREFIX = "COPYIT";
  static final String EURUSD = PREFIX + "-EURUSD";
  static final String USDJPY = PREFIX + "-USDJPY";

  private final LocalStack stack;
  private final List<CopySinkTask> tasks = new ArrayList<>();
  private StubContext context;

  CopySinkTaskIT(LocalStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  @AfterEach
  void deleteOurRows() throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM market.ticks WHERE symbol LIKE '" + PREFIX + "%'");
    }
  }

  @AfterEach
  void stopTasks() {
    tasks.forEach(CopySinkTask::stop);
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
  }

  private CopySinkTask task(Map<String, String> overrides) {
    return task(overrides, false);
  }

  private CopySinkTask task(Map<String, String> overrides, boolean withReporter) {
    Map<String, String> props = new HashMap<>();
    props.put("connection.url", stack.jdbcUrl());
    props.put("connection.username", stack.pgUser());
    props.put("connection.password", stack.pgPassword());
    props.put("table", "market.ticks");
    props.put("key.columns", "symbol,seq,ts");
    props.putAll(overrides);
    CopySinkTask task = new CopySinkTask();
    context = new StubContext(withReporter);
    task.initialize(context);
    task.start(props);
    tasks.add(task);
    return task;
  }

  /** Ticks of {@link #EURUSD} with seq in [from, to), at offsets equal to seq. */
  private static List<SinkRecord> ticks(long from, long to) {
    return LongStream.range(from, to)
        .mapToObj(seq -> Ticks.record(Ticks.tick(EURUSD, seq), 0, seq))
        .toList();
  }

  /** Stops or starts this class's own PostgreSQL. */
  private void postgres(String command) {
    if (command.equals("stop")) {
      stack.stop(Component.POSTGRES);
    } else {
      stack.ensure(List.of(Component.POSTGRES));
    }
  }

  @Test
  void landsExactValues() throws SQLException {
    CopySinkTask task = task(Map.of());
    Struct awkward =
        Ticks.tick(EURUSD, 1)
            .put("ts", Date.from(Instant.parse("2026-11-26T23:59:59.999Z")))
            .put("bid", new BigDecimal("123456789012.12345678"))
            .put("ask", new BigDecimal("0.00000001"))
            .put("venue", "LMAX\ttab\nnewline\r\\backslash \\N \"quoted\" ,;| € ✓");
    Struct plain = Ticks.tick(USDJPY, 2);
    task.put(List.of(Ticks.record(awkward, 0, 10), Ticks.record(plain, 1, 20)));
    task.flush(Map.of());

    Map<String, Map<String, Object>> rows = rowsBySymbol();
    assertThat(rows).hasSize(2);
    for (Struct expected : List.of(awkward, plain)) {
      Map<String, Object> row = rows.get(expected.getString("symbol"));
      for (Field f : Ticks.SCHEMA.fields()) {
        assertThat(row.get(f.name())).as(f.name()).isEqualTo(expected.get(f));
      }
    }
  }

  @Test
  void aNullOptionalDecimalLandsAsNull() throws SQLException {
    CopySinkTask task = task(Map.of());
    Struct tick = Ticks.tick(EURUSD, 1).put("bid_size", null).put("last_price", null);
    task.put(List.of(Ticks.record(tick, 0, 1)));
    task.flush(Map.of());

    Map<String, Object> row = rowsBySymbol().get(EURUSD);
    assertThat(row).containsEntry("bid_size", null).containsEntry("last_price", null);
    assertThat(row.get("ask_size")).isEqualTo(new BigDecimal("2500000.12345678"));
  }

  @Test
  void redeliveredRecordsLandOnce() throws SQLException {
    CopySinkTask task = task(Map.of());
    List<SinkRecord> batch = ticks(0, 50);
    task.put(batch);
    task.flush(Map.of());
    task.put(batch); // redelivery after a crash before the offset commit
    task.flush(Map.of());
    assertThat(countAndDistinct()).containsExactly(50L, 50L);
    assertThat(
            List.of(
                task.batchesWrittenDirect(),
                task.rowsWrittenDirect(),
                task.batchesFellBack(),
                task.rowsWrittenByFallback()))
        .containsExactly(1L, 50L, 1L, 0L);

    List<SinkRecord> withDuplicates = new ArrayList<>(ticks(50, 80));
    withDuplicates.addAll(ticks(50, 80)); // the same keys twice in one flush
    withDuplicates.addAll(ticks(40, 50)); // and keys landed by an earlier flush
    task.put(withDuplicates);
    task.flush(Map.of());
    assertThat(countAndDistinct()).containsExactly(80L, 80L);
    assertThat(
            List.of(task.batchesFellBack(), task.rowsWrittenByFallback(), task.duplicatesDropped()))
        .containsExactly(2L, 30L, 30L);
  }

  @Test
  void aBatchOverlappingRowsInTheTableFallsBackAndLandsEveryKeyOnceWithExactValues()
      throws SQLException {
    CopySinkTask task = task(Map.of());
    // Rows already in the table: seq 0..49 and 80..89 (landed before a crash, say).
    task.put(ticks(0, 50));
    task.put(ticks(80, 90));
    task.flush(Map.of());
    assertThat(
            List.of(task.batchesWrittenDirect(), task.rowsWrittenDirect(), task.batchesFellBack()))
        .containsExactly(1L, 60L, 0L);

    // Redelivered from seq 30: the overlap is at the start and in the middle of the batch. A
    // redelivered
    // record that differs (it cannot, in practice) must not replace the row that landed first.
    List<SinkRecord> batch = new ArrayList<>();
    for (long seq = 30; seq < 100; seq++) {
      Struct tick = Ticks.tick(EURUSD, seq);
      if (seq < 50 || seq >= 80 && seq < 90) {
        tick.put("venue", "REDELIVERED-BUT-DIFFERENT");
      }
      batch.add(Ticks.record(tick, 0, seq));
    }
    task.put(batch);
    task.flush(Map.of());

    assertThat(
            List.of(
                task.batchesWrittenDirect(),
                task.rowsWrittenDirect(),
                task.batchesFellBack(),
                task.rowsWrittenByFallback()))
        .containsExactly(1L, 60L, 1L, 40L);
    assertThat(rows())
        .containsExactlyElementsOf(
            LongStream.range(0, 100).mapToObj(seq -> values(Ticks.tick(EURUSD, seq))).toList());

    // The next batch of new keys goes direct again.
    task.put(ticks(100, 120));
    task.flush(Map.of());
    assertThat(
            List.of(task.batchesWrittenDirect(), task.rowsWrittenDirect(), task.batchesFellBack()))
        .containsExactly(2L, 80L, 1L);
    assertThat(countAndDistinct()).containsExactly(120L, 120L);
  }

  @Test
  void aBatchWithInternalDuplicatesGoesDirectAndLandsEachKeyOnceFirstOccurrenceWinning()
      throws SQLException {
    CopySinkTask task = task(Map.of());
    List<SinkRecord> batch = new ArrayList<>(ticks(0, 40));
    batch.addAll(ticks(10, 20)); // redelivered within the same batch (a rewind before the flush)
    for (long seq = 30;
        seq < 45;
        seq++) { // later duplicates of 30..39 that differ, then new keys 40..44
      batch.add(Ticks.record(Ticks.tick(EURUSD, seq).put("venue", "LATER"), 1, seq));
    }
    batch.add(
        Ticks.record(Ticks.tick(USDJPY, 5), 2, 5)); // same seq and ts, another symbol: another key
    task.put(batch);
    task.flush(Map.of());

    assertThat(
            List.of(
                task.batchesWrittenDirect(),
                task.rowsWrittenDirect(),
                task.batchesFellBack(),
                task.duplicatesDropped()))
        .containsExactly(1L, 46L, 0L, 20L);
    List<Map<String, Object>> expected =
        new ArrayList<>(
            LongStream.range(0, 45)
                .mapToObj(
                    seq ->
                        values(
                            seq < 40
                                ? Ticks.tick(EURUSD, seq)
                                : Ticks.tick(EURUSD, seq).put("venue", "LATER")))
                .toList());
    expected.add(values(Ticks.tick(USDJPY, 5)));
    assertThat(rows()).containsExactlyElementsOf(expected);
  }

  @Test
  void aTransientFailureInPutOrFlushLosesNothingAndDuplicatesNothing() throws Exception {
    Assumptions.assumeFalse(
        sharedStack(), "stops PostgreSQL: only on a stack of the test run's own");
    CopySinkTask task = task(Map.of("flush.max.records", "100", "retry.backoff.ms", "250"));
    task.put(ticks(0, 60)); // buffered, below flush.max.records
    postgres("stop");
    try {
      // 120 buffered: put flushes, the database is gone
      assertThatThrownBy(() -> task.put(ticks(60, 120))).isInstanceOf(RetriableException.class);
      assertThat(context.timeout).isEqualTo(250L);
    } finally {
      postgres("up");
    }
    task.put(ticks(60, 120)); // Connect puts the same batch again
    assertThat(countAndDistinct()).containsExactly(120L, 120L);

    task.put(ticks(120, 130)); // buffered
    postgres("stop");
    try {
      assertThatThrownBy(() -> task.flush(Map.of())).isInstanceOf(RetriableException.class);
    } finally {
      postgres("up");
    }
    task.put(
        ticks(100, 130)); // Connect rewinds to the last committed offset (say 100) and redelivers
    task.flush(Map.of());

    assertThat(countAndDistinct()).containsExactly(130L, 130L);
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT min(seq), max(seq) FROM market.ticks WHERE symbol LIKE '"
                    + PREFIX
                    + "%'")) {
      rs.next();
      assertThat(List.of(rs.getLong(1), rs.getLong(2))).containsExactly(0L, 129L);
    }
  }

  @Test
  void aRowTheDatabaseRejectsFailsTheTaskNamingTheRecord() throws SQLException {
    CopySinkTask task = task(Map.of());
    Struct tooBig =
        Ticks.tick(EURUSD, 11)
            .put("bid", new BigDecimal("1000000000000.00000000")); // > numeric(20,8)
    task.put(
        List.of(
            Ticks.record(Ticks.tick(EURUSD, 10), 3, 10),
            Ticks.record(tooBig, 3, 11),
            Ticks.record(Ticks.tick(EURUSD, 12), 3, 12)));

    assertThatThrownBy(() -> task.flush(Map.of()))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("22003")
        .hasMessageContaining("topic market.ticks partition 3 offset 11");
    // Connect only rewinds after a failed flush; the next put fails the task.
    assertThatThrownBy(() -> task.put(List.of())).hasMessageContaining("offset 11");
    assertThat(countAndDistinct()).containsExactly(0L, 0L);
  }

  @Test
  void withAReporterRowsTheTableRefusesAreReportedAndTheRestLands() throws SQLException {
    CopySinkTask task = task(Map.of(), true);
    Struct tooBig =
        Ticks.tick(EURUSD, 11)
            .put("bid", new BigDecimal("1000000000000.00000000")); // > numeric(20,8): 22003
    Struct alsoTooBig =
        Ticks.tick(EURUSD, 13).put("ask", new BigDecimal("-1000000000000.00000000"));
    task.put(
        List.of(
            Ticks.record(Ticks.tick(EURUSD, 10), 3, 10),
            Ticks.record(tooBig, 3, 11),
            Ticks.record(Ticks.tick(EURUSD, 12), 3, 12),
            Ticks.record(alsoTooBig, 3, 13),
            Ticks.record(Ticks.tick(EURUSD, 14), 3, 14)));

    task.flush(Map.of());

    assertThat(context.reported).extracting(SinkRecord::kafkaOffset).containsExactly(11L, 13L);
    assertThat(countAndDistinct()).containsExactly(3L, 3L);
    task.put(ticks(15, 20)); // the task goes on
    task.flush(Map.of());
    assertThat(countAndDistinct()).containsExactly(8L, 8L);
  }

  @Test
  void keyColumnsThatAreNoUniqueConstraintFailTheTaskBeforeAnythingLands() throws SQLException {
    // The direct COPY would land this batch, and its redelivery too: the key is checked up front.
    CopySinkTask task = task(Map.of("key.columns", "symbol,seq"));
    task.put(ticks(0, 10));
    assertThatThrownBy(() -> task.flush(Map.of()))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("42P10")
        .hasMessageContaining("key.columns");
    assertThat(countAndDistinct()).containsExactly(0L, 0L);
  }

  @Test
  void fieldsWithoutAColumnNeedTheColumnsSetting() throws SQLException {
    SchemaBuilder builder = SchemaBuilder.struct().name("io.rtx.schemas.TickWithFlag");
    Ticks.SCHEMA.fields().forEach(f -> builder.field(f.name(), f.schema()));
    Schema withFlag = builder.field("is_final", Schema.BOOLEAN_SCHEMA).build();
    Struct value = new Struct(withFlag);
    Struct tick = Ticks.tick(EURUSD, 1);
    Ticks.SCHEMA.fields().forEach(f -> value.put(f.name(), tick.get(f)));
    value.put("is_final", true);
    SinkRecord record =
        new SinkRecord(Ticks.TOPIC, 0, Schema.STRING_SCHEMA, "EURUSD", withFlag, value, 1);

    CopySinkTask allFields = task(Map.of());
    allFields.put(List.of(record));
    assertThatThrownBy(() -> allFields.flush(Map.of()))
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("is_final")
        .hasMessageContaining("columns");

    CopySinkTask listed =
        task(
            Map.of(
                "columns", "symbol,seq,ts,bid,ask,bid_size,ask_size,last_price,last_size,venue"));
    listed.put(List.of(record));
    listed.flush(Map.of());
    assertThat(countAndDistinct()).containsExactly(1L, 1L);
  }

  /** Our rows of market.ticks by symbol (one row per symbol expected). */
  private Map<String, Map<String, Object>> rowsBySymbol() throws SQLException {
    Map<String, Map<String, Object>> rows = new HashMap<>();
    for (Map<String, Object> row : rows()) {
      rows.put((String) row.get("symbol"), row);
    }
    return rows;
  }

  /**
   * Our rows of market.ticks by symbol and seq, columns as Java values (ts as an Instant-compatible
   * Date).
   */
  private List<Map<String, Object>> rows() throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute(
          "SET TIME ZONE 'Asia/Tokyo'"); // the session's zone must not matter for timestamptz
      try (ResultSet rs =
          st.executeQuery(
              "SELECT * FROM market.ticks WHERE symbol LIKE '"
                  + PREFIX
                  + "%' ORDER BY symbol, seq")) {
        while (rs.next()) {
          Map<String, Object> row = new HashMap<>();
          for (Field f : Ticks.SCHEMA.fields()) {
            Object v =
                switch (f.name()) {
                  case "ts" -> Date.from(rs.getObject("ts", OffsetDateTime.class).toInstant());
                  case "seq" -> rs.getLong("seq");
                  case "symbol", "venue" -> rs.getString(f.name());
                  default -> rs.getBigDecimal(f.name());
                };
            row.put(f.name(), v);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** A struct's values by field name, comparable with {@link #rows()}. */
  private static Map<String, Object> values(Struct s) {
    Map<String, Object> row = new HashMap<>();
    Ticks.SCHEMA.fields().forEach(f -> row.put(f.name(), s.get(f)));
    return row;
  }

  private List<Long> countAndDistinct() throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(DISTINCT (symbol, seq)) FROM market.ticks"
                    + " WHERE symbol LIKE '"
                    + PREFIX
                    + "%'")) {
      rs.next();
      return List.of(rs.getLong(1), rs.getLong(2));
    }
  }

  /**
   * Whether the tests run against a stack they did not start (the test kit's RTX_IT_STACK=running).
   */
  private static boolean sharedStack() {
    return "running"
        .equals(
            System.getProperty(
                "rtx.it.stack", System.getenv().getOrDefault("RTX_IT_STACK", "own")));
  }
}
