package io.rtx.pgsink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.LoggerFactory;

/**
 * The settings every PostgreSQL sink of the project has: where to connect, as whom, and the pause
 * after a transient database error. A sink's own config extends this one and adds its settings to
 * {@link #connectionDef}.
 */
public abstract class PgSinkConfig extends AbstractConfig {

  public static final String CONNECTION_URL = "connection.url";
  public static final String CONNECTION_USERNAME = "connection.username";
  public static final String CONNECTION_PASSWORD = "connection.password";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

  public static final long RETRY_BACKOFF_MS_DEFAULT = 1_000L;

  private static final String JDBC_PREFIX = "jdbc:postgresql:";

  /**
   * The connection and retry settings, for a sink to define its own after them.
   *
   * @param urlExample a URL shown in the documentation
   * @param role what the database role must be allowed to do, for the documentation
   */
  public static ConfigDef connectionDef(String urlExample, String role) {
    return new ConfigDef()
        .define(
            CONNECTION_URL,
            Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            PgSinkConfig::validateUrl,
            Importance.HIGH,
            "PostgreSQL JDBC URL, e.g. "
                + urlExample
                + ". Use a config provider (${env:RTX_SINK_JDBC_URL}) rather than a literal.")
        .define(
            CONNECTION_USERNAME,
            Type.STRING,
            null,
            Importance.HIGH,
            "Database role, " + role + ". Optional when the URL carries it.")
        .define(
            CONNECTION_PASSWORD,
            Type.PASSWORD,
            null,
            Importance.HIGH,
            "Database password. Optional; use a config provider (${env:RTX_SINK_JDBC_PASSWORD}).")
        .define(
            RETRY_BACKOFF_MS,
            Type.LONG,
            RETRY_BACKOFF_MS_DEFAULT,
            ConfigDef.Range.atLeast(0),
            Importance.LOW,
            "Pause before Connect puts a batch again after a transient database error"
                + " (connection lost, deadlock, server shutting down).");
  }

  protected PgSinkConfig(ConfigDef definition, Map<String, String> props) {
    super(definition, props);
  }

  public String url() {
    return getString(CONNECTION_URL);
  }

  public String username() {
    return getString(CONNECTION_USERNAME);
  }

  public String password() {
    Password p = getPassword(CONNECTION_PASSWORD);
    return p == null ? null : p.value();
  }

  public long retryBackoffMs() {
    return getLong(RETRY_BACKOFF_MS);
  }

  /**
   * A new connection, outside auto-commit, named {@code applicationName} in {@code
   * pg_stat_activity}. The driver is the one in this plugin's class loader, not whatever {@code
   * DriverManager} would pick.
   */
  public Connection connect(String applicationName) throws SQLException {
    Properties props = new Properties();
    if (username() != null) {
      props.setProperty("user", username());
    }
    if (password() != null) {
      props.setProperty("password", password());
    }
    props.setProperty("ApplicationName", applicationName);
    Connection c = new org.postgresql.Driver().connect(url(), props);
    if (c == null) {
      throw new ConnectException("the PostgreSQL driver does not accept " + CONNECTION_URL);
    }
    try {
      c.setAutoCommit(false);
    } catch (SQLException e) {
      close(c, e);
      throw e;
    }
    return c;
  }

  /** Closes {@code c} after {@code failure}, keeping a second failure as suppressed. */
  public static void close(Connection c, Exception failure) {
    try {
      c.close();
    } catch (SQLException suppressed) {
      failure.addSuppressed(suppressed);
    }
  }

  /** Closes {@code c}; a failure to close is only logged (at debug). */
  public static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LoggerFactory.getLogger(PgSinkConfig.class).debug("closing the connection failed", e);
    }
  }

  private static void validateUrl(String name, Object value) {
    if (value == null || !((String) value).startsWith(JDBC_PREFIX)) {
      throw new ConfigException(
          name, value, "must be a PostgreSQL JDBC URL starting with " + JDBC_PREFIX);
    }
  }
}
