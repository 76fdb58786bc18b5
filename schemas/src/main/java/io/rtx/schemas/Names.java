package io.rtx.schemas;

/**
 * Names that more than one process must agree on, beyond topics ({@link Topics}) and processes
 * ({@link Component}): Redis keys and channels, the Connect worker's group and internal topics, and
 * the consumer groups of sink connectors.
 */
public final class Names {

  /** What every environment variable of the platform starts with. */
  public static final String ENV_PREFIX = "RTX_";

  /** Redis hash of a symbol's latest quote: {@code quote:EURUSD}. */
  public static final String QUOTE_KEY_PREFIX = "quote:";

  /** Redis pub/sub channel of a symbol's quote updates: {@code quotes:EURUSD}. */
  public static final String QUOTE_CHANNEL_PREFIX = "quotes:";

  /** Redis hash of an account's cash: {@code account:ACC-0001} (the orders app's cache). */
  public static final String ACCOUNT_KEY_PREFIX = "account:";

  /** Redis hash of one position: {@code position:ACC-0001:EURUSD}. */
  public static final String POSITION_KEY_PREFIX = "position:";

  /** Group of the Connect workers; workers with the same group share the connectors. */
  public static final String CONNECT_GROUP = "rtx-connect";

  public static final String CONNECT_CONFIG_TOPIC = "_connect-configs";
  public static final String CONNECT_OFFSET_TOPIC = "_connect-offsets";
  public static final String CONNECT_STATUS_TOPIC = "_connect-status";

  private Names() {}

  public static String quoteKey(String symbol) {
    return QUOTE_KEY_PREFIX + symbol;
  }

  public static String accountKey(String account) {
    return ACCOUNT_KEY_PREFIX + account;
  }

  public static String positionKey(String account, String symbol) {
    return POSITION_KEY_PREFIX + account + ":" + symbol;
  }

  public static String quoteChannel(String symbol) {
    return QUOTE_CHANNEL_PREFIX + symbol;
  }

  /**
   * The environment variable of a setting: {@code RTX_} + the name upper-cased, dots and dashes as
   * underscores ({@code kafka.bootstrap.servers} → {@code RTX_KAFKA_BOOTSTRAP_SERVERS}).
   */
  public static String envName(String setting) {
    return ENV_PREFIX
        + setting.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The consumer group Kafka Connect gives a sink connector: {@code connect-<name>}. */
  public static String sinkGroup(String connector) {
    return "connect-" + connector;
  }
}
