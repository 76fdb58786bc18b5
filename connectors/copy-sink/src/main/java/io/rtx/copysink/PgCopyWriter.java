package io.rtx.copysink;

import io.rtx.pgsink.PgSinkConfig;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link CopyBuffer} (at most one row per key) into the target table in one transaction.
 * Fast path:
 *
 * <pre>
 *   SAVEPOINT
 *   COPY table (cols) FROM STDIN                              -- text format, see CopyTextFormat
 *   COMMIT
 * </pre>
 *
 * If that COPY fails with a unique violation (23505: a key of the batch is in the table already,
 * i.e. records redelivered after a crash or rebalance), the fallback path lands the same batch
 * idempotently:
 *
 * <pre>
 *   ROLLBACK TO SAVEPOINT
 *   COPY pg_temp.rtx_copy_stage (cols) FROM STDIN
 *   INSERT INTO table (cols)
 *     SELECT DISTINCT ON (keys) cols FROM pg_temp.rtx_copy_stage ORDER BY keys, ctid
 *     ON CONFLICT (keys) DO NOTHING
 *   COMMIT                                                    -- ON COMMIT DELETE ROWS empties the stage
 * </pre>
 *
 * Once per connection, a zero-row {@code INSERT ... ON CONFLICT (keys) DO NOTHING} checks that the
 * key is a unique constraint of the table (42P10 otherwise): idempotency rests on it, and the
 * direct COPY never names it. The staging table is created once per connection ({@code LIKE table
 * INCLUDING DEFAULTS INCLUDING CONSTRAINTS}: NOT NULL and CHECK constraints fail at COPY time,
 * where the error names the offending line; the direct COPY checks the table's own constraints the
 * same way).
 *
 * <p>DO NOTHING is the idempotent choice for redelivered records, which are identical to what
 * landed: the first version of a key wins (within one flush the buffer keeps the earliest record of
 * a key; across flushes the row already in the table stays). DISTINCT ON is still needed on the
 * fallback path for keys the buffer cannot tell apart by their text (decimals 1.0 and 1.00), and it
 * is what would keep {@code DO UPDATE SET c = EXCLUDED.c} legal (a statement may not update one row
 * twice).
 *
 * <p>Errors: a transient one (connection lost, server shutting down, deadlock, out of resources:
 * SQLState classes 08, 40, 53, 57, 58 and lock timeouts) closes the connection and becomes a {@link
 * RetriableException}; any other one (bad data, missing column, no unique constraint on the key, a
 * unique violation on the fallback path) a {@link ConnectException}, naming the record when the
 * database reports the COPY line.
 */
final class PgCopyWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PgCopyWriter.class);
  static final String STAGE = "rtx_copy_stage";
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "58");
  static final String UNIQUE_VIOLATION = "23505";

  /**
   * The error context of a row COPY rejected, on either path: "COPY ticks, line 2, column bid:
   * ...".
   */
  private static final Pattern COPY_LINE = Pattern.compile("COPY [^,]+, line (\\d+)");

  private final CopySinkConfig config;
  private final String table;
  private final String keys;
  private Connection connection;
  private CopyManager copyManager;

  // Over the writer's life, counted when a transaction commits.
  private long directBatches;
  private long directRows;
  private long fallbackBatches;
  private long fallbackRows;
  private long fallbackSkipped;

  PgCopyWriter(CopySinkConfig config) {
    this.config = config;
    this.table =
        config.tableName().stream().map(PgCopyWriter::quote).collect(Collectors.joining("."));
    this.keys = columnList(config.keyColumns());
  }

  /**
   * Lands every row of {@code buffer} (which it leaves as it is) and commits: by a direct COPY into
   * the table when none of the keys is there yet, otherwise through the stage and {@code ON
   * CONFLICT DO NOTHING}.
   *
   * @return rows inserted; the rest of the buffer's rows were already in the table
   * @throws RetriableException on a transient database error: the transaction did not commit
   * @throws ConnectException on any other database error
   */
  long write(CopyBuffer buffer) {
    String columns = columnList(buffer.columns());
    String rows = buffer.text().toString();
    try {
      Connection c = connection();
      Savepoint direct = c.setSavepoint();
      long inserted;
      boolean fellBack = false;
      try {
        inserted =
            copyManager.copyIn(
                "COPY " + table + " (" + columns + ") FROM STDIN", new StringReader(rows), 1 << 16);
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        log.debug(
            "direct COPY of {} rows hit a key already in {} ({}); inserting through the stage",
            buffer.rows(),
            table,
            e.getMessage());
        c.rollback(direct);
        fellBack = true;
        inserted = insertThroughStage(c, columns, rows);
      }
      c.commit();
      if (fellBack) {
        fallbackBatches++;
        fallbackRows += inserted;
        fallbackSkipped += buffer.rows() - inserted;
      } else {
        directBatches++;
        directRows += inserted;
      }
      return inserted;
    } catch (SQLException | IOException e) {
      close();
      throw failure(e, buffer);
    }
  }

  private long insertThroughStage(Connection c, String columns, String rows)
      throws SQLException, IOException {
    copyManager.copyIn(
        "COPY pg_temp." + STAGE + " (" + columns + ") FROM STDIN", new StringReader(rows), 1 << 16);
    try (Statement st = c.createStatement()) {
      return st.executeUpdate(
          "INSERT INTO "
              + table
              + " ("
              + columns
              + ") SELECT DISTINCT ON ("
              + keys
              + ") "
              + columns
              + " FROM pg_temp."
              + STAGE
              + " ORDER BY "
              + keys
              + ", ctid ON CONFLICT ("
              + keys
              + ") DO NOTHING");
    }
  }

  /** Batches landed by a direct COPY into the table. */
  long directBatches() {
    return directBatches;
  }

  /** Rows landed by a direct COPY into the table. */
  long directRows() {
    return directRows;
  }

  /**
   * Batches whose direct COPY met a key already in the table and that went through the stage
   * instead.
   */
  long fallbackBatches() {
    return fallbackBatches;
  }

  /** Rows inserted by the fallback path. */
  long fallbackRows() {
    return fallbackRows;
  }

  /**
   * Rows of fallback batches that were in the table already (ON CONFLICT DO NOTHING skipped them).
   */
  long fallbackSkipped() {
    return fallbackSkipped;
  }

  @Override
  public void close() {
    if (connection != null) {
      PgSinkConfig.closeQuietly(connection);
      connection = null;
      copyManager = null;
    }
  }

  private Connection connection() throws SQLException {
    if (connection != null) {
      return connection;
    }
    Connection c = config.connect("rtx-copy-sink");
    try {
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TEMP TABLE IF NOT EXISTS "
                + STAGE
                + " (LIKE "
                + table
                + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS) ON COMMIT DELETE ROWS");
        // The direct COPY never names the key, so check here that it is a unique constraint:
        // without one a redelivered batch would COPY in again as duplicates. Inserts nothing; fails
        // with 42P10.
        st.execute(
            "INSERT INTO "
                + table
                + " ("
                + keys
                + ") SELECT "
                + keys
                + " FROM pg_temp."
                + STAGE
                + " WHERE false ON CONFLICT ("
                + keys
                + ") DO NOTHING");
      }
      c.commit();
      copyManager = c.unwrap(PGConnection.class).getCopyAPI();
    } catch (SQLException | RuntimeException e) {
      PgSinkConfig.close(c, e);
      throw e;
    }
    log.info(
        "connected to PostgreSQL {} for table {}",
        c.getMetaData().getDatabaseProductVersion(),
        table);
    connection = c;
    return c;
  }

  private RuntimeException failure(Exception e, CopyBuffer buffer) {
    String state = e instanceof SQLException s ? s.getSQLState() : null;
    String what = "writing " + buffer.rows() + " rows to " + table + " failed";
    if (isTransient(e)) {
      return new RetriableException(
          what + " (SQLState " + state + "), Connect will redeliver: " + e.getMessage(), e);
    }
    StringBuilder msg =
        new StringBuilder(what)
            .append(" (SQLState ")
            .append(state)
            .append(", not retriable): ")
            .append(e.getMessage());
    int row = culpritRow(e, buffer);
    if (row >= 0) {
      msg.append(" -- the row is ").append(CopySinkTask.coordinates(buffer.record(row)));
      if (isDataError(state)) {
        return new RowRejected(msg.toString(), e, row);
      }
    }
    if ("42P10".equals(state)) {
      msg.append(" -- ")
          .append(CopySinkConfig.KEY_COLUMNS)
          .append(" must be exactly the columns of a unique" + " constraint of ")
          .append(table);
    } else if ("42703".equals(state)) {
      msg.append(" -- a value field has no column of that name: list the columns to write in ")
          .append(CopySinkConfig.COLUMNS);
    }
    return new ConnectException(msg.toString(), e);
  }

  /** Connection, transaction-rollback and resource errors pass; data and schema errors do not. */
  static boolean isTransient(Exception e) {
    if (!(e instanceof SQLException s)) {
      return true; // I/O
    }
    String state = s.getSQLState();
    return state == null
        || state.length() < 2
        || TRANSIENT_CLASSES.contains(state.substring(0, 2))
        || "55P03".equals(state);
  }

  /** The row behind the COPY line the server names in its error context; -1 if it names none. */
  private static int culpritRow(Exception e, CopyBuffer buffer) {
    ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
    String where = server == null ? null : server.getWhere();
    Matcher m = where == null ? null : COPY_LINE.matcher(where);
    if (m == null || !m.find()) {
      return -1;
    }
    int row = Integer.parseInt(m.group(1)) - 1;
    return row >= 0 && row < buffer.rows() ? row : -1;
  }

  /**
   * A value the table refuses: a data exception (class 22, e.g. a number out of range), a null in a
   * NOT NULL column or a failed check constraint. The row is at fault, not the database.
   */
  static boolean isDataError(String state) {
    return state != null
        && (state.startsWith("22") || state.equals("23502") || state.equals("23514"));
  }

  /** A row of the buffer the table refuses ({@link #isDataError}); the other rows did not land. */
  static final class RowRejected extends ConnectException {
    private final int row;

    RowRejected(String message, Throwable cause, int row) {
      super(message, cause);
      this.row = row;
    }

    /** Its index in the buffer. */
    int row() {
      return row;
    }
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static String columnList(List<String> columns) {
    return columns.stream().map(PgCopyWriter::quote).collect(Collectors.joining(", "));
  }
}
