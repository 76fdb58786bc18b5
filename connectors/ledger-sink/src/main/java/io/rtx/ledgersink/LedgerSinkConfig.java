package io.rtx.ledgersink;

import io.rtx.pgsink.PgSinkConfig;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The connector's settings (besides Connect's own: {@code topics}, {@code tasks.max}, {@code
 * errors.*}, ...).
 */
public final class LedgerSinkConfig extends PgSinkConfig {

  public static final String TABLE = "table";

  public static final String TABLE_DEFAULT = "transactions.ledger";

  /** One unquoted PostgreSQL identifier as the catalog stores it (lower case, at most 63 bytes). */
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

  public static final ConfigDef CONFIG_DEF =
      connectionDef(
              "jdbc:postgresql://db:5432/rtx?reWriteBatchedInserts=true",
              "one that may INSERT into the table (rtx_sink)")
          .define(
              TABLE,
              Type.STRING,
              TABLE_DEFAULT,
              LedgerSinkConfig::validateTable,
              Importance.MEDIUM,
              "The ledger table, schema.table in lower case. It must have the columns of"
                  + " transactions.ledger (entry_id, transaction_id, account_id, currency, amount,"
                  + " kind, reference, created_at) with entry_id unique; the sink creates nothing.");

  private final List<String> tableName;

  public LedgerSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    tableName = List.of(getString(TABLE).split("\\.", -1));
  }

  /** The table name's parts: [schema, table]. */
  List<String> tableName() {
    return tableName;
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
