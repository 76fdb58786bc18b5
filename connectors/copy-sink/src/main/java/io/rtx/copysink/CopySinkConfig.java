package io.rtx.copysink;

import io.rtx.pgsink.PgSinkConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The connector's settings (besides Connect's own: {@code topics}, {@code tasks.max}, {@code
 * errors.*}, ...).
 */
public final class CopySinkConfig extends PgSinkConfig {

  public static final String TABLE = "table";
  public static final String KEY_COLUMNS = "key.columns";
  public static final String COLUMNS = "columns";
  public static final String FLUSH_MAX_RECORDS = "flush.max.records";

  public static final int FLUSH_MAX_RECORDS_DEFAULT = 2_000;

  public static final ConfigDef CONFIG_DEF =
      connectionDef(
              "jdbc:postgresql://db:5432/rtx",
              "one that may INSERT into the table and create temporary tables (rtx_sink)")
          .define(
              TABLE,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              CopySinkConfig::validateTable,
              Importance.HIGH,
              "Target table, [schema.]table, e.g. market.ticks. It must exist (the sink creates nothing but its"
                  + " own temporary staging table) and have a unique constraint on exactly key.columns.")
          .define(
              KEY_COLUMNS,
              Type.LIST,
              ConfigDef.NO_DEFAULT_VALUE,
              CopySinkConfig::validateColumnList,
              Importance.HIGH,
              "The table's unique key, e.g. symbol,seq,ts: the ON CONFLICT target. Within a"
                  + " flush the first record of a key wins; a record whose key is already in the table is"
                  + " skipped (ON CONFLICT DO NOTHING), which makes redelivery harmless. Key fields must be"
                  + " present and non-null in every record.")
          .define(
              COLUMNS,
              Type.LIST,
              List.of(),
              CopySinkConfig::validateOptionalColumnList,
              Importance.MEDIUM,
              "Columns to write, each taken from the value field of the same name. Empty (the default):"
                  + " every field of the record's value Struct. Set it to leave fields out (e.g. a flag"
                  + " the table has no column for) or to pin the column list against schema evolution.")
          .define(
              FLUSH_MAX_RECORDS,
              Type.INT,
              FLUSH_MAX_RECORDS_DEFAULT,
              ConfigDef.Range.atLeast(1),
              Importance.MEDIUM,
              "Buffered records that trigger a flush from put(): one transaction, a COPY into"
                  + " the table (or, when a key is there already, into the stage + INSERT). A flush also"
                  + " happens at every offset commit (the worker's offset.flush.interval.ms). Keep"
                  + " consumer.override.max.poll.records at the same value.");

  private final List<String> tableName;
  private final List<String> keyColumns;
  private final List<String> columns;

  public CopySinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    tableName = List.of(getString(TABLE).trim().split("\\.", -1));
    keyColumns = List.copyOf(getList(KEY_COLUMNS));
    columns = List.copyOf(getList(COLUMNS));
    keyColumnsProblem(keyColumns, columns)
        .ifPresent(
            problem -> {
              throw new ConfigException(KEY_COLUMNS, getList(KEY_COLUMNS), problem);
            });
  }

  /**
   * Why {@code keys} cannot be the key of a row written with {@code columns} (empty: all fields),
   * if so.
   */
  static Optional<String> keyColumnsProblem(List<String> keys, List<String> columns) {
    if (!columns.isEmpty() && !Set.copyOf(columns).containsAll(keys)) {
      return Optional.of("every key column must also be in columns " + columns);
    }
    return Optional.empty();
  }

  /** The table name's parts: [schema, table] or [table]. */
  List<String> tableName() {
    return tableName;
  }

  List<String> keyColumns() {
    return keyColumns;
  }

  /** The configured columns, empty for "every field of the value". */
  List<String> columns() {
    return columns;
  }

  int flushMaxRecords() {
    return getInt(FLUSH_MAX_RECORDS);
  }

  private static void validateTable(String name, Object value) {
    String table = value == null ? "" : ((String) value).trim();
    String[] parts = table.split("\\.", -1);
    if (table.isEmpty() || parts.length > 2 || List.of(parts).stream().anyMatch(String::isBlank)) {
      throw new ConfigException(name, value, "must be [schema.]table, e.g. market.ticks");
    }
  }

  private static void validateColumnList(String name, Object value) {
    if (value == null || ((List<?>) value).isEmpty()) {
      throw new ConfigException(name, value, "must name at least one column");
    }
    validateOptionalColumnList(name, value);
  }

  private static void validateOptionalColumnList(String name, Object value) {
    List<?> list = (List<?>) value;
    if (list.stream().anyMatch(c -> ((String) c).isBlank())) {
      throw new ConfigException(name, value, "contains an empty column name");
    }
    if (list.size() != new HashSet<>(list).size()) {
      throw new ConfigException(name, value, "lists a column twice");
    }
  }
}
