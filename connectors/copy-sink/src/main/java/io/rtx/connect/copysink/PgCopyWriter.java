package io.rtx.connect.copysink;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link CopyBuffer} into the target table in one transaction:
 * <pre>
 *   COPY pg_temp.rtx_copy_stage (cols) FROM STDIN             -- text format, see CopyTextFormat
 *   INSERT INTO table (cols)
 *     SELECT DISTINCT ON (keys) cols FROM pg_temp.rtx_copy_stage ORDER BY keys, ctid
 *     ON CONFLICT (keys) DO NOTHING
 *   COMMIT                                                    -- ON COMMIT DELETE ROWS empties the stage
 * </pre>
 * The staging table is created once per connection ({@code LIKE table INCLUDING DEFAULTS INCLUDING CONSTRAINTS}:
 * NOT NULL and CHECK constraints fail at COPY time, where the error names the offending line).
 *
 * <p>DO NOTHING is the idempotent choice for redelivered records, which are identical to what landed: the first
 * version of a key wins (within one flush, the earliest row: {@code ctid} is the COPY order). Updating rows in
 * place would need {@code DO UPDATE SET c = EXCLUDED.c, ...}; DISTINCT ON is what would keep that legal (a
 * statement may not update one row twice) and costs a sort.
 *
 * <p>Errors: a transient one (connection lost, server shutting down, deadlock, out of resources: SQLState classes
 * 08, 40, 53, 57, 58 and lock timeouts) closes the connection and becomes a {@link RetriableException}; any
 * other one (bad data, missing column, no unique constraint on the key) a {@link ConnectException}, naming the
 * record when the database reports the COPY line.
 */
final class PgCopyWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgCopyWriter.class);
    static final String STAGE = "rtx_copy_stage";
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "58");
    private static final Pattern COPY_LINE = Pattern.compile("COPY " + STAGE + ", line (\\d+)");

    private final CopySinkConfig config;
    private final String table;
    private final String keys;
    private Connection connection;
    private CopyManager copyManager;

    PgCopyWriter(CopySinkConfig config) {
        this.config = config;
        this.table = config.tableName().stream().map(PgCopyWriter::quote).collect(Collectors.joining("."));
        this.keys = columnList(config.keyColumns());
    }

    /**
     * Lands every row of {@code buffer} (which it leaves as it is) and commits.
     *
     * @return rows inserted; the rest of the buffer was already in the table (or repeated a key in the buffer)
     * @throws RetriableException on a transient database error: the transaction did not commit
     * @throws ConnectException   on any other database error
     */
    long write(CopyBuffer buffer) {
        String columns = columnList(buffer.columns());
        try {
            Connection c = connection();
            copyManager.copyIn("COPY pg_temp." + STAGE + " (" + columns + ") FROM STDIN",
                    new StringReader(buffer.text().toString()), 1 << 16);
            int inserted;
            try (Statement st = c.createStatement()) {
                inserted = st.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT DISTINCT ON (" + keys
                        + ") " + columns + " FROM pg_temp." + STAGE + " ORDER BY " + keys + ", ctid ON CONFLICT ("
                        + keys + ") DO NOTHING");
            }
            c.commit();
            return inserted;
        } catch (SQLException | IOException e) {
            close();
            throw failure(e, buffer);
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the connection failed", e);
            }
            connection = null;
            copyManager = null;
        }
    }

    private Connection connection() throws SQLException {
        if (connection != null) {
            return connection;
        }
        Properties props = new Properties();
        if (config.username() != null) {
            props.setProperty("user", config.username());
        }
        if (config.password() != null) {
            props.setProperty("password", config.password());
        }
        props.setProperty("ApplicationName", "rtx-copy-sink");
        // The driver from this plugin's class loader, not whatever DriverManager would pick.
        Connection c = new org.postgresql.Driver().connect(config.url(), props);
        if (c == null) {
            throw new ConnectException("the PostgreSQL driver does not accept " + CopySinkConfig.CONNECTION_URL);
        }
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE IF NOT EXISTS " + STAGE + " (LIKE " + table
                        + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS) ON COMMIT DELETE ROWS");
            }
            c.commit();
            copyManager = c.unwrap(PGConnection.class).getCopyAPI();
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        log.info("connected to PostgreSQL {} for table {}", c.getMetaData().getDatabaseProductVersion(), table);
        connection = c;
        return c;
    }

    private RuntimeException failure(Exception e, CopyBuffer buffer) {
        String state = e instanceof SQLException s ? s.getSQLState() : null;
        String what = "writing " + buffer.size() + " records to " + table + " failed";
        if (isTransient(e)) {
            return new RetriableException(what + " (SQLState " + state + "), Connect will redeliver: " + e.getMessage(), e);
        }
        StringBuilder msg = new StringBuilder(what).append(" (SQLState ").append(state).append(", not retriable): ")
                .append(e.getMessage());
        SinkRecord culprit = culprit(e, buffer);
        if (culprit != null) {
            msg.append(" -- the row is ").append(CopySinkTask.coordinates(culprit));
        }
        if ("42P10".equals(state)) {
            msg.append(" -- ").append(CopySinkConfig.KEY_COLUMNS).append(" must be exactly the columns of a unique"
                    + " constraint of ").append(table);
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
        return state == null || state.length() < 2 || TRANSIENT_CLASSES.contains(state.substring(0, 2))
                || "55P03".equals(state);
    }

    /** The record behind the COPY line the server names in its error context, if it does. */
    private static SinkRecord culprit(Exception e, CopyBuffer buffer) {
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String where = server == null ? null : server.getWhere();
        Matcher m = where == null ? null : COPY_LINE.matcher(where);
        if (m == null || !m.find()) {
            return null;
        }
        int row = Integer.parseInt(m.group(1)) - 1;
        return row >= 0 && row < buffer.size() ? buffer.record(row) : null;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String columnList(List<String> columns) {
        return columns.stream().map(PgCopyWriter::quote).collect(Collectors.joining(", "));
    }
}
