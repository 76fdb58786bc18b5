package io.rtx.launcher;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database's logical replication slots (Debezium's), and how much WAL each holds back. A slot
 * whose consumer is gone keeps every WAL segment from its position on: the disk fills unless
 * someone notices, hence {@code ./rtx status} warns above {@code RTX_SLOT_WAL_WARN}, and deleting a
 * Debezium connector through {@code ./rtx connect delete} drops its slot.
 */
public final class ReplicationSlots {

  /** One slot: its name, whether a consumer is attached, and the WAL it retains, in bytes. */
  public record Slot(String name, String plugin, boolean active, long retainedBytes) {}

  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*(kB|MB|GB|TB)");

  private final StackSettings settings;

  public ReplicationSlots(StackSettings settings) {
    this.settings = settings;
  }

  public List<Slot> list() {
    try (Connection c = owner();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT slot_name, plugin, active,"
                    + " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint"
                    + " FROM pg_replication_slots ORDER BY 1");
        ResultSet r = s.executeQuery()) {
      List<Slot> slots = new ArrayList<>();
      while (r.next()) {
        slots.add(new Slot(r.getString(1), r.getString(2), r.getBoolean(3), r.getLong(4)));
      }
      return slots;
    } catch (SQLException e) {
      throw new StackException("cannot read the replication slots: " + e.getMessage(), e);
    }
  }

  /**
   * Drops a slot once nothing consumes it (a deleted connector's task takes a moment to let go); as
   * rtx_cdc, the role that may manage slots.
   */
  public void drop(String slot, java.time.Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    try (Connection c =
        DriverManager.getConnection(
            settings.jdbcUrl(),
            Secrets.Role.CDC.roleName(),
            settings.secrets().password(Secrets.Role.CDC))) {
      while (true) {
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                    + " WHERE slot_name = ? AND NOT active")) {
          s.setString(1, slot);
          s.execute();
        }
        if (list().stream().noneMatch(x -> x.name().equals(slot))) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new StackException(
              "replication slot "
                  + slot
                  + " is still in use; drop it later with: SELECT"
                  + " pg_drop_replication_slot('"
                  + slot
                  + "')");
        }
        Processes.pause(500);
      }
    } catch (SQLException e) {
      throw new StackException("cannot drop replication slot " + slot + ": " + e.getMessage(), e);
    }
  }

  private Connection owner() throws SQLException {
    return DriverManager.getConnection(
        settings.jdbcUrl(), settings.pgUser(), settings.pgPassword());
  }

  /**
   * {@code 512MB}, {@code 1GB}, {@code 64kB} (PostgreSQL's units) in bytes; a message otherwise.
   */
  public static long parseSize(String variable, String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          variable + " must be a size like 512MB or 1GB (kB, MB, GB, TB); got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2)) {
          case "kB" -> 10;
          case "MB" -> 20;
          case "GB" -> 30;
          default -> 40;
        };
    return n << shift;
  }

  /** Bytes as people read them: {@code 5.5 kB}, {@code 1.2 GB}. */
  public static String human(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB"};
    double v = bytes;
    int i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return i == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
