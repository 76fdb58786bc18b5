package io.rtx.ledgersink;

import java.sql.SQLException;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** How the sink reads a database error: whose fault it is, and what to tell. */
final class SqlErrors {

  /** Connection lost, rollback (deadlock, serialization), resources, shutdown, system errors. */
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "58");

  /** Data exception and integrity constraint violation: the record's fault, not the database's. */
  private static final Set<String> DATA_CLASSES = Set.of("22", "23");

  private static final String LOCK_TIMEOUT = "55P03";

  private SqlErrors() {}

  /** An error that may pass by itself; the same batch may be written again later. */
  static boolean isTransient(SQLException e) {
    String state = state(e);
    return state == null
        || state.length() < 2
        || TRANSIENT_CLASSES.contains(state.substring(0, 2))
        || LOCK_TIMEOUT.equals(state);
  }

  /** An error the data caused (SQLState classes 22 and 23): the record is refused. */
  static boolean isData(SQLException e) {
    String state = state(e);
    return state != null && state.length() >= 2 && DATA_CLASSES.contains(state.substring(0, 2));
  }

  /**
   * The error as the server put it ({@code SQLState 23514: transaction T does not balance: ...}),
   * without the statement a batch error quotes.
   */
  static String describe(SQLException e) {
    SQLException cause = innermost(e);
    StringBuilder s = new StringBuilder("SQLState ").append(state(e)).append(": ");
    ServerErrorMessage server = cause instanceof PSQLException p ? p.getServerErrorMessage() : null;
    if (server != null && server.getMessage() != null) {
      s.append(server.getMessage());
      if (server.getDetail() != null) {
        s.append(" (").append(server.getDetail()).append(')');
      }
    } else {
      s.append(cause.getMessage());
    }
    return s.toString();
  }

  private static String state(SQLException e) {
    String state = e.getSQLState();
    return state != null ? state : innermost(e).getSQLState();
  }

  /** A batch error's own message quotes the statement; the server's error is its next one. */
  private static SQLException innermost(SQLException e) {
    SQLException next = e.getNextException();
    return next != null && next != e ? innermost(next) : e;
  }
}
