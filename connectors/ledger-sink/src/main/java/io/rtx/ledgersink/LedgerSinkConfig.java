package io.rtx.ledgersink;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The connector's settings (besides Connect's own: {@code topics}, {@code tasks.max}, {@code
 * errors.*}, ...).
 */
public final class LedgerSinkConfig extends AbstractConfig {

  public static final String CONNECTION_URL = "connection.url";
  public static final String CONNECTION_USERNAME = "connection.username";
  public static final String CONNECTION_PASSWORD = "connection.password";
  public static final String TABLE = "table";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

  public static final String TABLE_DEFAULT = "transactions.ledger";
  public static final long RETRY_BACKOFF_MS_DEFAULT = 1_000L;

  private static final String JDBC_PREFIX = "jdbc:postgresql:";

  /** One unquoted PostgreSQL identifier as the catalog stores it (lower case, at most 63 bytes). */
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              CONNECTION_URL,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              LedgerSinkConfig::validateUrl,
              Importance.HIGH,
              "PostgreSQL JDBC URL of the system of record, e.g."
                  + " jdbc:postgresql://db:5432/rtx?reWriteBatchedInserts=true. Use a config provider"
                  + " (${env:RTX_SINK_JDBC_URL}) rather than a literal.")
          .define(
              CONNECTION_USERNAME,
              Type.STRING,
              null,
              Importance.HIGH,
              "Database role, one that may INSERT into the table (rtx_sink). Optional when the URL"
                  + " carries it.")
          .define(
              CONNECTION_PASSWORD,
              Type.PASSWORD,
              null,
              Importance.HIGH,
              "Database password. Optional; use a config provider (${env:RTX_SINK_JDBC_PASSWORD}).")
          .define(
              TABLE,
              Type.STRING,
              TABLE_DEFAULT,
              LedgerSinkConfig::validateTable,
              Importance.MEDIUM,
              "The ledger table, schema.table in lower case. It must have the columns of"
                  + " transactions.ledger (entry_id, transaction_id, account_id, currency, amount,"
                  + " kind, reference, created_at) with entry_id unique; the sink creates nothing.")
          .define(
              RETRY_BACKOFF_MS,
              Type.LONG,
              RETRY_BACKOFF_MS_DEFAULT,
              ConfigDef.Range.atLeast(0),
              Importance.LOW,
              "Pause before Connect puts a batch again after a transient database error"
                  + " (connection lost, server shutting down, deadlock).");

  private final List<String> tableName;

  public LedgerSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    tableName = List.of(getString(TABLE).split("\\.", -1));
  }

  String url() {
    return getString(CONNECTION_URL);
  }

  String username() {
    return getString(CONNECTION_USERNAME);
  }

  String password() {
    Password p = getPassword(CONNECTION_PASSWORD);
    return p == null ? null : p.value();
  }

  /** The table name's parts: [schema, table]. */
  List<String> tableName() {
    return tableName;
  }

  long retryBackoffMs() {
    return getLong(RETRY_BACKOFF_MS);
  }

  private static void validateUrl(String name, Object value) {
    if (value == null || !((String) value).startsWith(JDBC_PREFIX)) {
      throw new ConfigException(
          name, value, "must be a PostgreSQL JDBC URL starting with " + JDBC_PREFIX);
    }
  }

  private static void validateTable(String name, Object value) {
    String[] parts = value == null ? new String[0] : ((String) value).split("\\.", -1);
    if (parts.length != 2
        || !IDENTIFIER.matcher(parts[0]).matches()
        || !IDENTIFIER.matcher(parts[1]).matches()) {
      throw new ConfigException(
          name,
          value,
          "must be schema.table, two lower-case identifiers (letters, digits, _ and $, not"
              + " starting with a digit), e.g. "
              + TABLE_DEFAULT);
    }
  }
}
