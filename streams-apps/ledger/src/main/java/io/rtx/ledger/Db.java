package io.rtx.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One database transaction around a piece of work: committed whole, or rolled back whole. */
final class Db {

  /** Work on an open transaction; its refusal or failure rolls everything back. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private Db() {}

  static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Binds {@code params} in order; {@code null} binds SQL NULL. */
  static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
    return s;
  }

  /** The first column of the first row, or {@code null} when there is no row. */
  static String string(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, params);
        ResultSet r = s.executeQuery()) {
      return r.next() ? r.getString(1) : null;
    }
  }

  /** Records an administrative action in {@code audit.events}; {@code before/after} are JSON. */
  static void audit(
      Connection c, String actor, String action, String subject, String before, String after)
      throws SQLException {
    try (PreparedStatement s =
        prepare(
            c,
            "INSERT INTO audit.events (actor, action, subject, before, after)"
                + " VALUES (?, ?, ?, ?::jsonb, ?::jsonb)",
            actor,
            action,
            subject,
            before,
            after)) {
      s.executeUpdate();
    }
  }
}
