package io.rtx.ledgersink;

import static java.util.stream.Collectors.joining;

import io.rtx.pgsink.PgSinkConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes bookings to the ledger table on one connection of its own: one database transaction per
 * call, every leg an {@code INSERT ... ON CONFLICT DO NOTHING} in one JDBC batch (with {@code
 * reWriteBatchedInserts=true} in the URL, multi-row inserts). The table's deferred trigger checks
 * at commit that each transaction sums to zero per currency, so an unbalanced booking fails the
 * commit, not an insert.
 *
 * <p>The conflict has no target: {@code ON CONFLICT (entry_id)} needs SELECT on {@code entry_id},
 * and {@code rtx_sink} may only INSERT into the ledger. It skips exactly the entries that landed
 * already because the connection first checks that the table's one unique index is on {@code
 * entry_id} alone.
 */
final class LedgerWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);

  static final List<String> COLUMNS =
      List.of(
          "entry_id",
          "transaction_id",
          "account_id",
          "currency",
          "amount",
          "kind",
          "reference",
          "created_at");

  private final LedgerSinkConfig config;
  private final String table;
  private final String insert;
  private Connection connection;
  private PreparedStatement statement;

  LedgerWriter(LedgerSinkConfig config) {
    this.config = config;
    this.table = config.tableName().stream().map(LedgerWriter::quote).collect(joining("."));
    this.insert =
        "INSERT INTO "
            + table
            + " ("
            + COLUMNS.stream().map(LedgerWriter::quote).collect(joining(", "))
            + ") VALUES ("
            + COLUMNS.stream().map(c -> "?").collect(joining(", "))
            + ") ON CONFLICT DO NOTHING";
  }

  /** The statement each leg is written with. */
  String insertStatement() {
    return insert;
  }

  /**
   * Inserts every leg of {@code bookings} and commits, or leaves nothing behind: on any error the
   * transaction is rolled back (a connection that cannot even do that is closed).
   */
  void write(List<LedgerBooking> bookings) throws SQLException {
    PreparedStatement st = statement();
    try {
      for (LedgerBooking b : bookings) {
        for (LedgerBooking.Leg leg : b.legs()) {
          st.setString(1, leg.entryId());
          st.setString(2, b.transactionId());
          st.setString(3, leg.accountId());
          st.setString(4, leg.currency());
          st.setBigDecimal(5, leg.amount());
          st.setString(6, leg.kind());
          st.setString(7, b.reference());
          // An instant with its offset: timestamptz, whatever the JVM's or the session's zone.
          st.setObject(8, OffsetDateTime.ofInstant(b.createdAt(), ZoneOffset.UTC));
          st.addBatch();
        }
      }
      st.executeBatch();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      abandon(e);
      throw e;
    }
  }

  @Override
  public void close() {
    if (connection != null) {
      PgSinkConfig.closeQuietly(connection);
      connection = null;
      statement = null;
    }
  }

  private void abandon(Exception failure) {
    try {
      statement.clearBatch();
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
      close();
    }
  }

  private PreparedStatement statement() throws SQLException {
    if (statement != null) {
      return statement;
    }
    Connection c = config.connect("rtx-ledger-sink");
    try {
      checkTheOnlyUniqueKeyIsEntryId(c);
      statement = c.prepareStatement(insert);
    } catch (SQLException | RuntimeException e) {
      PgSinkConfig.close(c, e);
      throw e;
    }
    connection = c;
    log.info(
        "connected to PostgreSQL {} as {} for {}",
        c.getMetaData().getDatabaseProductVersion(),
        c.getMetaData().getUserName(),
        table);
    return statement;
  }

  /**
   * Refuses a table whose unique indexes are not exactly one, on {@code entry_id}: another would
   * make the untargeted ON CONFLICT skip entries that never landed. Reads only the catalog.
   */
  private void checkTheOnlyUniqueKeyIsEntryId(Connection c) throws SQLException {
    List<String> uniqueKeys = new ArrayList<>();
    boolean exists;
    try (PreparedStatement st = c.prepareStatement(UNIQUE_KEYS)) {
      st.setString(1, table);
      st.setString(2, table);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        exists = rs.getBoolean(1);
        String keys = rs.getString(2);
        if (keys != null) {
          uniqueKeys.addAll(List.of(keys.split(";")));
        }
      }
    }
    c.rollback();
    if (!exists) {
      throw new ConnectException(
          "table " + table + " does not exist (or its schema is not visible to the sink's role)");
    }
    if (!uniqueKeys.equals(List.of("(entry_id)"))) {
      throw new ConnectException(
          "table "
              + table
              + " must have exactly one unique key, (entry_id), for ON CONFLICT DO NOTHING to skip"
              + " exactly the entries that landed already; it has "
              + (uniqueKeys.isEmpty() ? "none" : String.join(", ", uniqueKeys)));
    }
  }

  /** Whether the table exists, and its unique indexes as "(col, ...)" joined by ';'. */
  private static final String UNIQUE_KEYS =
      "SELECT to_regclass(?) IS NOT NULL, (SELECT string_agg('(' || ("
          + "    SELECT string_agg(coalesce(a.attname, 'an expression'), ', ' ORDER BY k.ord)"
          + "    FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)"
          + "    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
          + "    WHERE k.ord <= i.indnkeyatts)"
          + "  || ')' || CASE WHEN i.indpred IS NULL THEN '' ELSE ' partial' END, ';')"
          + " FROM pg_index i WHERE i.indrelid = to_regclass(?) AND i.indisunique)";

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
