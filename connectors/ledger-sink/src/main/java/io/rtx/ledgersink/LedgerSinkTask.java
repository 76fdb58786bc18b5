package io.rtx.ledgersink;

import io.rtx.pgsink.PgSinkConnector;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Books each {@code put()} batch into the ledger in one database transaction, committed before
 * {@code put()} returns: when Connect commits offsets ({@code preCommit}), everything before them
 * is in the ledger. After a crash or rebalance Connect redelivers from the last committed offset
 * and {@code ON CONFLICT DO NOTHING} on the one unique key, {@code entry_id}, skips what had
 * landed: no loss, no duplicates.
 *
 * <p>Failures:
 *
 * <ul>
 *   <li>A record that is not a LedgerTransaction (null value, not a Struct, a field missing) is
 *       refused before the database.
 *   <li>When the database refuses the batch for data reasons (SQLState class 22 or 23: an unknown
 *       account, a currency other than the account's, too many decimals, a transaction that does
 *       not sum to zero at commit), nothing of it stays, and the batch is written again one record
 *       per transaction, in order, so that only the records at fault are refused.
 *   <li>Refused records go to Connect's errant record reporter ({@code errors.tolerance=all} and a
 *       dead-letter queue) with the reason, and the task goes on. Without a reporter the task
 *       fails: skipping a booking silently would lose money.
 *   <li>A transient database error (connection lost, server shutting down, deadlock) closes the
 *       connection and throws a {@link RetriableException}: nothing of the batch is committed that
 *       a second put of it would not skip, and Connect puts the same batch again after {@code
 *       retry.backoff.ms}. Any other database error (no privilege, no such table) fails the task.
 * </ul>
 */
public class LedgerSinkTask extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(LedgerSinkTask.class);

  private LedgerSinkConfig config;
  private LedgerWriter writer;
  private ErrantRecordReporter reporter;
  private long booked;
  private long refused;
  private long batchesRetriedOneByOne;

  @Override
  public String version() {
    return PgSinkConnector.version(getClass());
  }

  @Override
  public void start(Map<String, String> props) {
    config = new LedgerSinkConfig(props);
    writer = new LedgerWriter(config);
    reporter = context == null ? null : context.errantRecordReporter();
    if (reporter == null) {
      log.warn(
          "no errant record reporter (errors.tolerance=all and errors.deadletterqueue.topic.name):"
              + " the first record the ledger refuses will fail the task");
    }
    log.info("rtx-ledger-sink {} booking into {}", version(), String.join(".", config.tableName()));
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    List<LedgerBooking> bookings = new ArrayList<>(records.size());
    Map<SinkRecord, String> refusals = new IdentityHashMap<>();
    for (SinkRecord record : records) {
      try {
        bookings.add(LedgerBooking.of(record));
      } catch (DataException e) {
        refusal(refusals, record, e.getMessage());
      }
    }
    if (!bookings.isEmpty()) {
      try {
        writer.write(bookings);
        booked += bookings.size();
      } catch (SQLException e) {
        if (!SqlErrors.isData(e)) {
          throw failure(e, bookings.size() + " records");
        }
        log.info(
            "the ledger refused a batch of {} records ({}); writing them one by one",
            bookings.size(),
            SqlErrors.describe(e));
        batchesRetriedOneByOne++;
        oneByOne(bookings, refusals);
      }
    }
    // Reported in offset order once the batch is through: a batch put again is not reported twice.
    for (SinkRecord record : records) {
      String reason = refusals.get(record);
      if (reason != null) {
        refuse(record, reason);
      }
    }
  }

  @Override
  public void stop() {
    if (writer != null) {
      writer.close();
      log.info(
          "stopped; over the task's life: {} records booked (redelivered ones included), {} refused,"
              + " {} batches written one record at a time",
          booked,
          refused,
          batchesRetriedOneByOne);
    }
  }

  /** Records written (or found written already) so far. */
  long booked() {
    return booked;
  }

  /** Records refused so far. */
  long refused() {
    return refused;
  }

  /** Batches the database refused and that were written again one record per transaction. */
  long batchesRetriedOneByOne() {
    return batchesRetriedOneByOne;
  }

  private void oneByOne(List<LedgerBooking> bookings, Map<SinkRecord, String> refusals) {
    for (LedgerBooking b : bookings) {
      try {
        writer.write(List.of(b));
        booked++;
      } catch (SQLException e) {
        if (!SqlErrors.isData(e)) {
          throw failure(e, "transaction " + b.transactionId());
        }
        refusal(refusals, b.record(), "the ledger refused it: " + SqlErrors.describe(e));
      }
    }
  }

  /** Notes a refused record; without a reporter there is no going on, so fails right away. */
  private void refusal(Map<SinkRecord, String> refusals, SinkRecord record, String reason) {
    if (reporter == null) {
      refuse(record, reason);
    }
    refusals.put(record, reason);
  }

  private void refuse(SinkRecord record, String reason) {
    String table = String.join(".", config.tableName());
    String where =
        "record at topic "
            + record.originalTopic()
            + " partition "
            + record.originalKafkaPartition()
            + " offset "
            + record.originalKafkaOffset();
    if (reporter == null) {
      throw new ConnectException(
          where
              + " cannot be booked into "
              + table
              + ": "
              + reason
              + ". The connector has no errant record reporter; with errors.tolerance=all and"
              + " errors.deadletterqueue.topic.name set, refused records go to that topic and the"
              + " task goes on");
    }
    log.warn("{} refused, sent to the errant record reporter: {}", where, reason);
    reporter.report(record, new DataException(reason));
    refused++;
  }

  private RuntimeException failure(SQLException e, String what) {
    writer.close();
    String message =
        "writing " + what + " to " + String.join(".", config.tableName()) + " failed: ";
    if (SqlErrors.isTransient(e)) {
      // Connect pauses, then puts the same batch again; what landed meanwhile is skipped then.
      context.timeout(config.retryBackoffMs());
      return new RetriableException(message + SqlErrors.describe(e) + "; will retry", e);
    }
    return new ConnectException(message + SqlErrors.describe(e), e);
  }
}
