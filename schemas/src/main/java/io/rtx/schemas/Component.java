package io.rtx.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The processes of the platform, declared once: the name {@code ./rtx} knows each by, its default
 * port and the variable that moves it, and for the Streams apps their application id (also their
 * consumer group). The launcher, the test kit, the apps' default settings and the README's tables
 * all read this; {@code ReadmeTest} fails when the README drifts from it.
 */
public enum Component {
  POSTGRES(Kind.INFRA, 5432, "RTX_PG_PORT", null),
  REDIS(Kind.INFRA, 6379, "RTX_REDIS_PORT", null),
  KAFKA(Kind.INFRA, 9092, "RTX_BROKER_PORT", null),
  REGISTRY(Kind.INFRA, 8081, "RTX_REGISTRY_PORT", null),
  CONNECT(Kind.INFRA, 8083, "RTX_CONNECT_PORT", null, KAFKA, REGISTRY, POSTGRES),
  CANDLES(Kind.APP, 8090, "RTX_CANDLES_PORT", "rtx-candles", KAFKA, REGISTRY),
  QUOTES(Kind.APP, 8091, "RTX_QUOTES_PORT", "rtx-quotes", KAFKA, REGISTRY, REDIS),
  ORDERS(Kind.APP, 8092, "RTX_ORDERS_PORT", "rtx-orders", KAFKA, REGISTRY, REDIS),
  /** PostgreSQL's metrics for Prometheus (Debian's prometheus-postgres-exporter). */
  POSTGRES_EXPORTER(Kind.INFRA, 9187, "RTX_POSTGRES_EXPORTER_PORT", null, POSTGRES),
  /** Redis's metrics for Prometheus (Debian's prometheus-redis-exporter). */
  REDIS_EXPORTER(Kind.INFRA, 9121, "RTX_REDIS_EXPORTER_PORT", null, REDIS),
  /**
   * The ops service: lag, connectors and component status over HTTP; no consumer group of its own.
   */
  OPS(Kind.APP, 8093, "RTX_OPS_PORT", null, KAFKA, CONNECT);

  /**
   * Infrastructure we run for the platform, or one of the platform's own processes (the Streams
   * apps and the ops service), started after Connect.
   */
  public enum Kind {
    INFRA,
    APP
  }

  /** The KRaft controller listener of the local broker: a port of {@link #KAFKA}'s process. */
  public static final int KAFKA_CONTROLLER_PORT = 9093;

  /** The variable that moves {@link #KAFKA_CONTROLLER_PORT}. */
  public static final String KAFKA_CONTROLLER_PORT_VARIABLE = "RTX_CONTROLLER_PORT";

  /**
   * The WebSocket port of {@link #QUOTES}' process ({@code /ws/quotes}); the app's setting {@code
   * quotes.ws.port}, whose environment name is also the stack's variable.
   */
  public static final int QUOTES_WS_PORT = 8094;

  /** The variable that moves {@link #QUOTES_WS_PORT}. */
  public static final String QUOTES_WS_PORT_VARIABLE = "RTX_QUOTES_WS_PORT";

  private final Kind kind;
  private final int defaultPort;
  private final String portVariable;
  private final String applicationId;
  private final List<Component> needs;

  Component(
      Kind kind, int defaultPort, String portVariable, String applicationId, Component... needs) {
    this.kind = kind;
    this.defaultPort = defaultPort;
    this.portVariable = portVariable;
    this.applicationId = applicationId;
    this.needs = List.of(needs);
  }

  /**
   * The name {@code ./rtx up|stop|status|logs} use, e.g. {@code candles}, {@code redis-exporter}.
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public Kind kind() {
    return kind;
  }

  public int defaultPort() {
    return defaultPort;
  }

  /** The environment variable that sets this component's port in the local stack. */
  public String portVariable() {
    return portVariable;
  }

  /**
   * A Streams app's {@code application.id}, which is also its consumer group; empty for infra and
   * the ops service.
   */
  public Optional<String> applicationId() {
    return Optional.ofNullable(applicationId);
  }

  /** The components this one cannot run without; {@code ./rtx up X} starts them too. */
  public List<Component> needs() {
    return needs;
  }

  /** The component named {@code id} (as {@link #id()} writes it). */
  public static Optional<Component> byId(String id) {
    return Arrays.stream(values()).filter(c -> c.id().equals(id)).findFirst();
  }
}
