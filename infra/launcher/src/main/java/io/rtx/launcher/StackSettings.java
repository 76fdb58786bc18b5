package io.rtx.launcher;

import io.rtx.schemas.Component;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where the local stack lives and how it is reached: its home (data, logs, pid files, generated
 * configs), every port, the PostgreSQL database and role. Each value comes from its {@code RTX_*}
 * variable, else from the settings the stack in that home was last started with ({@code
 * conf/stack.properties}, so {@code RTX_PG_PORT=6000 ./rtx up} then {@code ./rtx status} agree),
 * else from the defaults in {@link Component}. Services bind to 127.0.0.1 only.
 */
public record StackSettings(
    Path repo,
    Path home,
    Map<Component, Integer> ports,
    int controllerPort,
    int quotesWsPort,
    String pgDatabase,
    String pgUser,
    String pgPasswordGiven,
    String heap,
    String appHeap,
    String ticksRetention,
    String candlesRetention,
    String slotWalWarn,
    int brokers,
    int instances,
    Map<String, Integer> instancePorts) {

  public static final String HOME = "RTX_HOME";

  /** Brokers of the local Kafka cluster (each a KRaft controller too): 1, or 3 to 5. */
  public static final String BROKERS = "RTX_BROKERS";

  /** Processes of each Streams app and Connect workers in the local stack: 1 to 4. */
  public static final String INSTANCES = "RTX_INSTANCES";

  /** Ports of the instances after the first are this far apart, unless set one by one. */
  public static final int INSTANCE_PORT_STEP = 100;

  public static final String PG_DB = "RTX_PG_DB";
  public static final String PG_USER = "RTX_PG_USER";
  public static final String PG_PASSWORD = "RTX_PG_PASSWORD";

  /** Max heap of the broker and the Connect worker, which buffer records in flight. */
  public static final String HEAP = "RTX_HEAP";

  /**
   * Max heap of each Streams app and the ops service: their state is in RocksDB, off the heap, and
   * what they hold on it is small (a live set of 17–32 MB under load).
   */
  public static final String APP_HEAP = "RTX_APP_HEAP";

  public static final String TICKS_RETENTION = "RTX_TICKS_RETENTION";
  public static final String CANDLES_RETENTION = "RTX_CANDLES_RETENTION";
  public static final String SLOT_WAL_WARN = "RTX_SLOT_WAL_WARN";

  /** The address every service of the local stack binds to. */
  public static final String HOST = "127.0.0.1";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern HEAP_SIZE = Pattern.compile("[1-9][0-9]{0,6}[mMgG]");

  public StackSettings {
    ports = Map.copyOf(ports);
    instancePorts = Map.copyOf(instancePorts);
    if (brokers < 1 || brokers > 5 || brokers == 2) {
      throw new IllegalArgumentException(
          BROKERS
              + " must be 1, 3, 4 or 5 (a KRaft quorum of 2 stops when either node does), got "
              + brokers);
    }
    if (instances < 1 || instances > 4) {
      throw new IllegalArgumentException(INSTANCES + " must be 1 to 4, got " + instances);
    }
    // each listener needs a port of its own: two on one port would fail at start, the second one
    // with a "port taken" by the first
    Map<Integer, String> byPort = new HashMap<>();
    for (Component c : Component.values()) {
      if (!ports.containsKey(c)) {
        throw new IllegalArgumentException("no port for " + c.id());
      }
      checkPort(byPort, c.portVariable(), ports.get(c));
    }
    checkPort(byPort, Component.KAFKA_CONTROLLER_PORT_VARIABLE, controllerPort);
    checkPort(byPort, Component.QUOTES_WS_PORT_VARIABLE, quotesWsPort);
    for (InstancePort p : instancePortsOf(brokers, instances)) {
      if (!instancePorts.containsKey(p.variable())) {
        throw new IllegalArgumentException("no port for " + p.variable());
      }
      checkPort(byPort, p.variable(), instancePorts.get(p.variable()));
    }
    // These reach SQL and command lines: only plain lower-case identifiers.
    checkIdentifier(PG_DB, pgDatabase);
    checkIdentifier(PG_USER, pgUser);
    if (pgPasswordGiven != null && pgPasswordGiven.isBlank()) {
      throw new IllegalArgumentException(PG_PASSWORD + " must not be blank");
    }
    Retention.check(TICKS_RETENTION, ticksRetention);
    Retention.perInterval(CANDLES_RETENTION, candlesRetention);
    ReplicationSlots.parseSize(SLOT_WAL_WARN, slotWalWarn);
    checkHeap(HEAP, heap);
    checkHeap(APP_HEAP, appHeap);
  }

  /** The settings of the stack in {@code RTX_HOME} (default {@code <repo>/.rtx}). */
  public static StackSettings fromEnvironment(Path repo, Map<String, String> env) {
    // an empty RTX_HOME is unset, as every other variable here: not the current directory
    String given = env.getOrDefault(HOME, "");
    Path home = (given.isBlank() ? repo.resolve(".rtx") : Path.of(given)).toAbsolutePath();
    Map<String, String> saved = readProperties(savedFile(home));
    Map<String, String> values = new HashMap<>(saved);
    env.forEach(
        (k, v) -> {
          if (k.startsWith("RTX_") && !v.isEmpty()) {
            values.put(k, v);
          }
        });
    return from(repo, home, values);
  }

  /**
   * A stack on free ports in {@code home}, for tests and the benchmark. A home that already has
   * saved settings keeps them, so every test JVM of one run finds the same stack.
   */
  public static StackSettings onFreePorts(Path repo, Path home) {
    return onFreePorts(repo, home, 1, 1);
  }

  /** {@link #onFreePorts(Path, Path)} with a cluster of {@code brokers} and app instances. */
  public static StackSettings onFreePorts(Path repo, Path home, int brokers, int instances) {
    Map<String, String> saved = readProperties(savedFile(home));
    if (!saved.isEmpty()) {
      return from(repo, home, saved);
    }
    Map<String, String> values = new HashMap<>();
    Set<Integer> taken = new HashSet<>();
    for (Component c : Component.values()) {
      values.put(c.portVariable(), Integer.toString(freePort(taken)));
    }
    values.put(Component.KAFKA_CONTROLLER_PORT_VARIABLE, Integer.toString(freePort(taken)));
    values.put(Component.QUOTES_WS_PORT_VARIABLE, Integer.toString(freePort(taken)));
    for (InstancePort p : instancePortsOf(brokers, instances)) {
      values.put(p.variable(), Integer.toString(freePort(taken)));
    }
    values.put(BROKERS, Integer.toString(brokers));
    values.put(INSTANCES, Integer.toString(instances));
    // the broker's and Connect's: enough at the bench's 100,000 ticks/s (README, "The seventh run")
    values.put(HEAP, "256m");
    StackSettings s = from(repo, home, values);
    s.save();
    return s;
  }

  private static StackSettings from(Path repo, Path home, Map<String, String> v) {
    Map<Component, Integer> ports = new EnumMap<>(Component.class);
    for (Component c : Component.values()) {
      ports.put(c, port(v, c.portVariable(), c.defaultPort()));
    }
    int controllerPort =
        port(v, Component.KAFKA_CONTROLLER_PORT_VARIABLE, Component.KAFKA_CONTROLLER_PORT);
    int quotesWsPort = port(v, Component.QUOTES_WS_PORT_VARIABLE, Component.QUOTES_WS_PORT);
    Map<String, Integer> firstPorts = new HashMap<>();
    ports.forEach((c, port) -> firstPorts.put(c.portVariable(), port));
    firstPorts.put(Component.KAFKA_CONTROLLER_PORT_VARIABLE, controllerPort);
    firstPorts.put(Component.QUOTES_WS_PORT_VARIABLE, quotesWsPort);
    int brokers = count(v, BROKERS);
    int instances = count(v, INSTANCES);
    Map<String, Integer> instancePorts = new HashMap<>();
    for (InstancePort p : instancePortsOf(brokers, instances)) {
      int fallback = firstPorts.get(p.first()) + INSTANCE_PORT_STEP * (p.k() - 1);
      instancePorts.put(p.variable(), port(v, p.variable(), fallback));
    }
    return new StackSettings(
        repo,
        home,
        ports,
        controllerPort,
        quotesWsPort,
        v.getOrDefault(PG_DB, "rtx"),
        v.getOrDefault(PG_USER, "rtx"),
        v.get(PG_PASSWORD),
        v.getOrDefault(HEAP, "512m"),
        v.getOrDefault(APP_HEAP, "192m"),
        v.getOrDefault(TICKS_RETENTION, "7 days"),
        v.getOrDefault(CANDLES_RETENTION, "1s=7 days,1m=90 days"),
        v.getOrDefault(SLOT_WAL_WARN, "1GB"),
        brokers,
        instances,
        instancePorts);
  }

  private static int count(Map<String, String> v, String variable) {
    String text = v.getOrDefault(variable, "1").trim();
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(variable + " must be a number, got '" + text + "'");
    }
  }

  /** A port of instance {@code k} ≥ 2, set by the first instance's variable suffixed {@code _k}. */
  record InstancePort(String first, int k) {
    String variable() {
      return first + "_" + k;
    }
  }

  /**
   * The ports of the instances after the first: {@code RTX_BROKER_PORT_2}, {@code
   * RTX_CONTROLLER_PORT_2}, … for the brokers, {@code RTX_CANDLES_PORT_2}, {@code
   * RTX_CONNECT_PORT_2}, … for the apps and Connect workers.
   */
  static List<InstancePort> instancePortsOf(int brokers, int instances) {
    List<InstancePort> ports = new ArrayList<>();
    for (int k = 2; k <= brokers; k++) {
      ports.add(new InstancePort(Component.KAFKA.portVariable(), k));
      ports.add(new InstancePort(Component.KAFKA_CONTROLLER_PORT_VARIABLE, k));
    }
    for (int k = 2; k <= instances; k++) {
      for (Component c : SCALED) {
        ports.add(new InstancePort(c.portVariable(), k));
      }
      ports.add(new InstancePort(Component.QUOTES_WS_PORT_VARIABLE, k));
    }
    return ports;
  }

  /** The components {@link #INSTANCES} multiplies. */
  public static final List<Component> SCALED =
      List.of(Component.CONNECT, Component.CANDLES, Component.QUOTES, Component.ORDERS);

  /** How many processes of {@code c} the stack runs. */
  public int count(Component c) {
    if (c == Component.KAFKA) {
      return brokers;
    }
    return SCALED.contains(c) ? instances : 1;
  }

  /**
   * The name of instance {@code k} (from 1) of {@code c}: its pid file, log and data directory. The
   * first is named as the component, the others {@code candles-2}, {@code kafka-3}, ….
   */
  public String processName(Component c, int k) {
    return k == 1 ? c.id() : c.id() + "-" + k;
  }

  /** The port of instance {@code k} of {@code c}. */
  public int port(Component c, int k) {
    return k == 1 ? port(c) : instancePorts.get(c.portVariable() + "_" + k);
  }

  /** The KRaft controller port of broker {@code k}. */
  public int controllerPort(int k) {
    return k == 1
        ? controllerPort
        : instancePorts.get(Component.KAFKA_CONTROLLER_PORT_VARIABLE + "_" + k);
  }

  /** The WebSocket port of quotes instance {@code k}. */
  public int quotesWsPort(int k) {
    return k == 1 ? quotesWsPort : instancePorts.get(Component.QUOTES_WS_PORT_VARIABLE + "_" + k);
  }

  public Path data(Component c, int k) {
    return home.resolve("data").resolve(processName(c, k));
  }

  /** Replication factor of the catalog's topics and Connect's: 3 with 3 brokers or more. */
  public short replicationFactor() {
    return (short) Math.min(brokers, 3);
  }

  /** {@code min.insync.replicas}: 2 with 3 brokers or more, so one may fail without a stop. */
  public int minInsyncReplicas() {
    return brokers >= 3 ? 2 : 1;
  }

  /** Records these settings in the home, where later commands on this stack find them. */
  public void save() {
    Properties p = new Properties();
    ports.forEach((c, port) -> p.setProperty(c.portVariable(), port.toString()));
    p.setProperty(Component.KAFKA_CONTROLLER_PORT_VARIABLE, Integer.toString(controllerPort));
    p.setProperty(Component.QUOTES_WS_PORT_VARIABLE, Integer.toString(quotesWsPort));
    p.setProperty(PG_DB, pgDatabase);
    p.setProperty(PG_USER, pgUser);
    p.setProperty(HEAP, heap);
    p.setProperty(APP_HEAP, appHeap);
    p.setProperty(TICKS_RETENTION, ticksRetention);
    p.setProperty(CANDLES_RETENTION, candlesRetention);
    p.setProperty(SLOT_WAL_WARN, slotWalWarn);
    p.setProperty(BROKERS, Integer.toString(brokers));
    p.setProperty(INSTANCES, Integer.toString(instances));
    instancePorts.forEach((variable, port) -> p.setProperty(variable, port.toString()));
    try {
      Files.createDirectories(conf());
      try (Writer w = Files.newBufferedWriter(savedFile(home))) {
        p.store(w, "settings of the stack in this home, written by ./rtx up");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path savedFile(Path home) {
    return home.resolve("conf").resolve("stack.properties");
  }

  /** The properties in {@code file}, none when there is no such file. */
  static Map<String, String> readProperties(Path file) {
    Map<String, String> m = new HashMap<>();
    if (Files.isRegularFile(file)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    }
    return m;
  }

  private static int port(Map<String, String> v, String variable, int fallback) {
    String text = v.get(variable);
    if (text == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(variable + " must be a port number, got '" + text + "'");
    }
  }

  private static void checkPort(Map<Integer, String> byPort, String variable, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(variable + " must be a port 1..65535, got " + port);
    }
    String other = byPort.putIfAbsent(port, variable);
    if (other != null) {
      throw new IllegalArgumentException(
          other + " and " + variable + " are both " + port + ": each needs a port of its own");
    }
  }

  private static void checkIdentifier(String variable, String value) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          variable + " must be a lower-case identifier ([a-z_][a-z0-9_]*), got '" + value + "'");
    }
  }

  private static void checkHeap(String variable, String value) {
    if (!HEAP_SIZE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          variable + " must be a heap size like 512m or 2g, got '" + value + "'");
    }
  }

  /** A port free now and not in {@code taken}, which it joins. */
  private static int freePort(Set<Integer> taken) {
    while (true) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (taken.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Passwords of the database roles and the PII key of this stack (generated once per home). */
  public Secrets secrets() {
    return Secrets.of(home, pgPasswordGiven);
  }

  /**
   * The platform role's password: {@code RTX_PG_PASSWORD}, else the one generated for this home.
   */
  public String pgPassword() {
    return secrets().owner();
  }

  /** How long candles are kept, by interval label; an interval not named is kept forever. */
  public Map<String, String> candlesRetentionByInterval() {
    return Retention.perInterval(CANDLES_RETENTION, candlesRetention);
  }

  /** WAL a replication slot may hold back before {@code ./rtx status} warns, in bytes. */
  public long slotWalWarnBytes() {
    return ReplicationSlots.parseSize(SLOT_WAL_WARN, slotWalWarn);
  }

  public int port(Component c) {
    return ports.get(c);
  }

  public Path data(Component c) {
    return home.resolve("data").resolve(c.id());
  }

  public Path log(String name) {
    return logs().resolve(name + ".log");
  }

  public Path logs() {
    return home.resolve("logs");
  }

  public Path run() {
    return home.resolve("run");
  }

  public Path conf() {
    return home.resolve("conf");
  }

  /** Every broker of the local cluster. */
  public String bootstrapServers() {
    return IntStream.rangeClosed(1, brokers)
        .mapToObj(k -> HOST + ":" + port(Component.KAFKA, k))
        .collect(Collectors.joining(","));
  }

  /** The registry's core v2 API, as our serdes and the Connect converter use it. */
  public String registryUrl() {
    return "http://" + HOST + ":" + port(Component.REGISTRY) + "/apis/registry/v2";
  }

  /** The registry's Confluent-compatible API. */
  public String confluentRegistryUrl() {
    return "http://" + HOST + ":" + port(Component.REGISTRY) + "/apis/ccompat/v7";
  }

  public String connectUrl() {
    return "http://" + HOST + ":" + port(Component.CONNECT);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + port(Component.POSTGRES) + "/" + pgDatabase;
  }

  /** The Redis address, without credentials: what to show. */
  public String redisUrl() {
    return "redis://" + HOST + ":" + port(Component.REDIS);
  }

  /** The Redis address as {@code user}, password included: what to connect with, never to show. */
  public String redisUrl(RedisUser user) {
    return "redis://"
        + user.userName()
        + ":"
        + secrets().password(user)
        + "@"
        + HOST
        + ":"
        + port(Component.REDIS);
  }

  /** HTTP base address of an app (or any component that speaks HTTP). */
  public String httpUrl(Component c) {
    return "http://" + HOST + ":" + port(c);
  }

  /** HTTP base address of instance {@code k} of {@code c}. */
  public String httpUrl(Component c, int k) {
    return "http://" + HOST + ":" + port(c, k);
  }

  /** The quotes app's WebSocket endpoint, without its query. */
  public String quotesWsUrl() {
    return "ws://" + HOST + ":" + quotesWsPort + "/ws/quotes";
  }

  /** What {@code ./rtx status} prints for a component; the other instances' ports after it. */
  public String endpoint(Component c) {
    if (c == Component.KAFKA || count(c) == 1) {
      return firstEndpoint(c);
    }
    return firstEndpoint(c)
        + "; "
        + count(c)
        + " instances, the others on "
        + IntStream.rangeClosed(2, count(c))
            .mapToObj(k -> Integer.toString(port(c, k)))
            .collect(Collectors.joining(", "));
  }

  private String firstEndpoint(Component c) {
    return switch (c) {
      case POSTGRES -> "postgresql://" + pgUser + "@" + HOST + ":" + port(c) + "/" + pgDatabase;
      case REDIS -> redisUrl();
      case KAFKA -> bootstrapServers();
      case REGISTRY -> confluentRegistryUrl() + " (Confluent API), " + registryUrl();
      case CONNECT -> connectUrl();
      case CANDLES -> httpUrl(c) + " (/candles, /health, /metrics)";
      case QUOTES -> httpUrl(c) + " (/health, /metrics), " + quotesWsUrl() + "?symbols=A,B";
      case ORDERS -> httpUrl(c) + " (/orders, /accounts, /health, /metrics)";
      case OPS ->
          httpUrl(c)
              + " (dashboard /, /api/status, /api/lag, /api/pipeline, /api/connectors, /health, /metrics)";
      case POSTGRES_EXPORTER, REDIS_EXPORTER -> httpUrl(c) + "/metrics";
    };
  }
}
