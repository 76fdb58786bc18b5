package io.rtx.copysink;

import io.rtx.pgsink.PgSinkConnector;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers records as COPY text and lands them with {@link PgCopyWriter}: from {@link #put} once
 * {@code flush.max.records} are buffered, and from {@link #flush} (called by {@link #preCommit}) at
 * every offset commit. Connect commits a partition's offsets only after {@code preCommit} returned,
 * i.e. after the records before them are in the table; after a crash it redelivers from the last
 * commit and the insert skips what had landed already: no loss, no duplicates. The buffer keeps one
 * row per key (the first record of it); a batch none of whose keys is in the table yet is COPYed
 * straight into it, any other goes through the stage with ON CONFLICT DO NOTHING (see {@link
 * PgCopyWriter}).
 *
 * <p>Failures:
 *
 * <ul>
 *   <li>Tombstones (null value) are skipped and counted.
 *   <li>A record that cannot become a row (value not a Struct, key column missing or null, a value
 *       with no column form), or whose row the table refuses (a data exception, SQLState class 22,
 *       e.g. a number out of range; a null in a NOT NULL column; a failed check constraint), goes
 *       to Connect's errant record reporter when the connector has one ({@code
 *       errors.tolerance=all}, optionally {@code errors.deadletterqueue.topic.name}); otherwise the
 *       task fails with a {@link DataException} naming the record. Connect's {@code
 *       errors.tolerance} by itself only covers conversion and transforms, not exceptions thrown
 *       from put.
 *   <li>A transient database error in put: the batch is dropped from the buffer, Connect waits
 *       {@code retry.backoff.ms} and calls put again with the same batch. In flush: the buffer is
 *       kept, Connect rewinds to the last committed offsets and redelivers (records buffered twice
 *       are dropped by the buffer's key check).
 *   <li>Any other database error fails the task: thrown from put directly; from flush Connect would
 *       only rewind and retry forever, so the error is also rethrown from the next put.
 * </ul>
 */
public class CopySinkTask extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(CopySinkTask.class);

  private CopySinkConfig config;
  private Set<String> keyColumns;
  private PgCopyWriter writer;
  private ErrantRecordReporter reporter;
  private final CopyBuffer buffer = new CopyBuffer();
  private RowLayout layout; // of the last value schema seen
  private ConnectException fatal;
  private long tombstones;
  private long rejected;
  private long duplicatesDropped;

  @Override
  public String version() {
    return PgSinkConnector.version(getClass());
  }

  @Override
  public void start(Map<String, String> props) {
    config = new CopySinkConfig(props);
    keyColumns = Set.copyOf(config.keyColumns());
    writer = new PgCopyWriter(config);
    reporter = context == null ? null : context.errantRecordReporter();
    log.info(
        "rtx-copy-sink {} writing to {} (key {}), flushing every {} records",
        version(),
        String.join(".", config.tableName()),
        config.keyColumns(),
        config.flushMaxRecords());
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (fatal != null) {
      throw fatal;
    }
    CopyBuffer.Mark mark = buffer.mark(); // what was buffered before this batch
    for (SinkRecord record : records) {
      if (record.value() == null) {
        tombstones++;
        continue;
      }
      RowLayout rowLayout;
      try {
        rowLayout = layoutFor(record);
      } catch (DataException e) {
        reject(record, e);
        continue;
      }
      if (!buffer.isEmpty()
          && rowLayout.columns() != buffer.columns()
          && !rowLayout.columns().equals(buffer.columns())) {
        flushFromPut(mark); // the value schema changed its fields: one COPY per column list
        mark = buffer.mark();
      }
      try {
        buffer.append(record, rowLayout);
      } catch (DataException e) {
        reject(record, e);
      }
    }
    if (buffer.size() >= config.flushMaxRecords()) {
      flushFromPut(mark);
    }
  }

  @Override
  public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    if (fatal != null) {
      throw fatal;
    }
    try {
      write();
    } catch (RetriableException e) {
      throw e; // Connect rewinds to the last committed offsets and redelivers
    } catch (ConnectException e) {
      fatal = e;
      throw e;
    }
  }

  @Override
  public void stop() {
    if (writer != null) {
      writer.close();
    }
    if (buffer.size() > 0) {
      log.info(
          "stopping with {} records not written; their offsets were not committed", buffer.size());
    }
    if (writer != null) {
      log.info(
          "stopped; over the task's life: {} rows in {} batches by direct COPY, {} batches fell back to the"
              + " stage ({} rows inserted, {} already present), {} records dropped as repeated keys within a"
              + " batch, {} tombstones skipped, {} records rejected",
          writer.directRows(),
          writer.directBatches(),
          writer.fallbackBatches(),
          writer.fallbackRows(),
          writer.fallbackSkipped(),
          duplicatesDropped,
          tombstones,
          rejected);
    }
  }

  /** Tombstones skipped so far. */
  long tombstones() {
    return tombstones;
  }

  /** Records handed to the errant record reporter so far. */
  long rejected() {
    return rejected;
  }

  /** Rows landed by a direct COPY into the table so far. */
  long rowsWrittenDirect() {
    return writer.directRows();
  }

  /** Batches landed by a direct COPY so far. */
  long batchesWrittenDirect() {
    return writer.directBatches();
  }

  /**
   * Batches whose direct COPY met a key already in the table and that went through the stage
   * instead.
   */
  long batchesFellBack() {
    return writer.fallbackBatches();
  }

  /**
   * Rows the fallback path inserted so far (the rest of those batches was in the table already).
   */
  long rowsWrittenByFallback() {
    return writer.fallbackRows();
  }

  /**
   * Records dropped from committed batches because an earlier record of the batch had the same key.
   */
  long duplicatesDropped() {
    return duplicatesDropped;
  }

  /** The record's Kafka coordinates (before any transform renamed its topic), for messages. */
  static String coordinates(SinkRecord record) {
    return "topic "
        + record.originalTopic()
        + " partition "
        + record.originalKafkaPartition()
        + " offset "
        + record.originalKafkaOffset();
  }

  private RowLayout layoutFor(SinkRecord record) {
    if (!(record.value() instanceof Struct value)) {
      throw new DataException(
          "value is a "
              + record.value().getClass().getName()
              + ", not a Struct: the sink needs values with a schema (e.g. the Avro converter)");
    }
    if (layout == null || layout.schema() != value.schema()) {
      layout = RowLayout.of(value.schema(), config.columns(), keyColumns, layout);
    }
    return layout;
  }

  private void reject(SinkRecord record, DataException cause) {
    DataException e =
        new DataException(
            "record at "
                + coordinates(record)
                + " cannot be written to "
                + String.join(".", config.tableName())
                + ": "
                + cause.getMessage(),
            cause);
    if (reporter == null) {
      throw e;
    }
    reporter.report(record, e);
    rejected++;
  }

  /**
   * Writes the buffer; a transient failure drops this batch from it, as Connect will put the batch
   * again.
   */
  private void flushFromPut(CopyBuffer.Mark beforeBatch) {
    try {
      write();
    } catch (RetriableException e) {
      buffer.truncate(beforeBatch);
      context.timeout(config.retryBackoffMs());
      throw e;
    }
  }

  private void write() {
    if (buffer.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    long fellBack = writer.fallbackBatches();
    long inserted = 0;
    while (!buffer.isEmpty()) {
      try {
        inserted = writer.write(buffer);
        break;
      } catch (PgCopyWriter.RowRejected e) {
        // the table refuses this row's values: to the dead-letter path, the others again
        SinkRecord record = buffer.record(e.row());
        if (reporter == null) {
          throw e;
        }
        reporter.report(record, e);
        rejected++;
        buffer.remove(e.row());
      }
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "flushed {} records ({} rows, {} repeated keys dropped) {}: {} inserted, {} already present,"
              + " in {} ms",
          buffer.size(),
          buffer.rows(),
          buffer.duplicates(),
          writer.fallbackBatches() > fellBack ? "through the stage" : "by direct COPY",
          inserted,
          buffer.rows() - inserted,
          (System.nanoTime() - start) / 1_000_000);
    }
    duplicatesDropped += buffer.duplicates();
    buffer.clear();
  }
}
