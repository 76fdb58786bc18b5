package io.rtx.launcher;

import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import io.rtx.schemas.SchemaCatalog;
import io.rtx.schemas.TopicCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The local stack: which components exist, in which order they start, how each is started, checked
 * and stopped. {@code ./rtx}, the test kit and the benchmark all go through here.
 *
 * <p>Start order: PostgreSQL, Redis, the broker and the registry together; then the database
 * bootstrap, the registry's compatibility rule and the topic catalog; then Connect and the
 * connectors; then the apps. Asking for a component also starts what it {@link Component#needs()}.
 */
public final class Stack {

  /** What {@link #up} does besides starting processes. */
  public record UpOptions(boolean applyTopics, boolean deployConnectors) {
    public static final UpOptions ALL = new UpOptions(true, true);
    public static final UpOptions PROCESSES_ONLY = new UpOptions(false, false);
  }

  /** The format of the component-name column of {@code up} and {@code status}: the longest id. */
  public static final String NAME_COLUMN =
      "%-" + Arrays.stream(Component.values()).mapToInt(c -> c.id().length()).max().orElse(9) + "s";

  /** Prometheus exporters of infrastructure: started once what they watch is up and set up. */
  private static final Set<Component> EXPORTERS =
      EnumSet.of(Component.POSTGRES_EXPORTER, Component.REDIS_EXPORTER);

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CONNECT_START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_PATIENCE = Duration.ofSeconds(30);

  private final StackSettings settings;
  private final Processes processes;
  private final Postgres postgres;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  public Stack(StackSettings settings) {
    this.settings = settings;
    this.processes = new Processes(settings);
    this.postgres = new Postgres(settings, processes);
  }

  public StackSettings settings() {
    return settings;
  }

  /** {@code wanted} and everything it needs, in start order. */
  public static Set<Component> withNeeds(Collection<Component> wanted) {
    Set<Component> all = EnumSet.noneOf(Component.class);
    List<Component> todo = new ArrayList<>(wanted);
    while (!todo.isEmpty()) {
      Component c = todo.remove(todo.size() - 1);
      if (all.add(c)) {
        todo.addAll(c.needs());
      }
    }
    return all;
  }

  /** Starts whichever of {@code wanted} (and their needs) are not running; harmless to repeat. */
  public void up(Collection<Component> wanted, UpOptions options, Consumer<String> progress) {
    Set<Component> all = withNeeds(wanted);
    checkPortsFree(all);
    settings.save();
    try {
      Files.createDirectories(settings.home());
      Files.createDirectories(settings.conf());
      // PostgreSQL runs as another OS user: it must be able to reach its files below the home.
      settings.home().toFile().setExecutable(true, false);
      settings.home().toFile().setReadable(true, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    List<Component> infra =
        all.stream()
            .filter(c -> c != Component.CONNECT && c.kind() == Component.Kind.INFRA)
            .filter(c -> !EXPORTERS.contains(c))
            .toList();
    infra.stream().filter(c -> !running(c)).forEach(this::start);
    for (Component c : infra) {
      awaitReady(c, START_TIMEOUT);
    }
    if (all.contains(Component.POSTGRES)) {
      postgres.bootstrap();
    }
    if (all.contains(Component.REGISTRY)) {
      configureRegistry();
    }
    // The exporters come after the bootstrap, which creates the role the PostgreSQL one logs in as.
    List<Component> exporters = all.stream().filter(EXPORTERS::contains).toList();
    exporters.stream().filter(c -> !running(c)).forEach(this::start);
    for (Component c : exporters) {
      awaitReady(c, START_TIMEOUT);
    }
    writePrometheusConfig();
    if (all.contains(Component.KAFKA) && options.applyTopics()) {
      applyTopics(progress);
    }
    if (all.contains(Component.CONNECT)) {
      if (!running(Component.CONNECT)) {
        start(Component.CONNECT);
      }
      awaitReady(Component.CONNECT, CONNECT_START_TIMEOUT);
      if (options.deployConnectors()) {
        deployConnectors(progress);
      }
    }
    List<Component> apps = all.stream().filter(c -> c.kind() == Component.Kind.APP).toList();
    apps.stream().filter(c -> !running(c)).forEach(this::start);
    for (Component c : apps) {
      awaitReady(c, START_TIMEOUT);
    }
    for (Component c : all) {
      progress.accept(String.format(NAME_COLUMN + " up    %s", c.id(), settings.endpoint(c)));
    }
  }

  /**
   * Stops every component: the apps, then Connect, then the rest, each group in parallel; {@code
   * wipe} then deletes the stack's data, unless something may still use it ({@link #dataInUse}):
   * then it deletes nothing and says what runs.
   */
  public void down(boolean wipe, Consumer<String> progress) {
    List<Component> apps =
        Arrays.stream(Component.values()).filter(c -> c.kind() == Component.Kind.APP).toList();
    List<Component> rest =
        Arrays.stream(Component.values())
            .filter(c -> c.kind() == Component.Kind.INFRA && c != Component.CONNECT)
            .toList();
    for (List<Component> group : List.of(apps, List.of(Component.CONNECT), rest)) {
      group.parallelStream().forEach(this::stop);
    }
    if (!wipe) {
      List<String> survivors =
          Arrays.stream(Component.values())
              .flatMap(c -> names(c).stream())
              .filter(processes::running)
              .toList();
      if (!survivors.isEmpty()) {
        throw new StackException("still running after down: " + String.join(" ", survivors));
      }
      progress.accept("stopped; data kept in " + settings.home().resolve("data"));
      return;
    }
    Path data = settings.home().resolve("data");
    List<Path> wiped = List.of(data, settings.conf(), settings.run());
    List<String> inUse = dataInUse();
    if (!inUse.isEmpty()) {
      throw new StackException(
          "--wipe refused, nothing deleted: "
              + String.join("; ", inUse)
              + ". Stop it, then run down --wipe again.");
    }
    if (wiped.stream().noneMatch(Files::exists)) {
      progress.accept("stopped; nothing to wipe in " + settings.home());
      return;
    }
    // up writes the settings first of all: a home without them never held a stack (RTX_HOME=/)
    if (!Files.isRegularFile(settings.conf().resolve("stack.properties"))
        && (Files.exists(data) || Files.exists(settings.run()))) {
      throw new StackException(
          "--wipe refused, nothing deleted: "
              + settings.home()
              + " has no conf/stack.properties, so no stack was started there ("
              + StackSettings.HOME
              + ")");
    }
    wiped.forEach(Stack::deleteTree);
    progress.accept("stopped; data wiped (" + settings.home() + ")");
  }

  /**
   * What may still use the stack's data, one line each; none when nothing does. A component whose
   * pid file names a live process of this home; any other process whose command line names the home
   * (one started by hand, or whose pid file was lost); a component's port that answers while no
   * process of ours is known to hold it (perhaps a process of this home whose command line does not
   * say so).
   */
  public List<String> dataInUse() {
    List<String> found = new ArrayList<>();
    Set<Long> known = new HashSet<>();
    for (Component c : Component.values()) {
      for (String name : names(c)) {
        processes
            .pid(name)
            .ifPresent(
                pid -> {
                  known.add(pid);
                  found.add(name + " still runs (pid " + pid + ")");
                });
      }
    }
    for (ProcessHandle p : processes.namingHome()) {
      if (!known.contains(p.pid())) {
        String cmd = Processes.cmdline(p.pid()).strip();
        found.add(
            "pid "
                + p.pid()
                + " names "
                + settings.home()
                + " and is none of its components ("
                + (cmd.length() > 120 ? cmd.substring(0, 120) + "…" : cmd)
                + ")");
      }
    }
    for (Listener l : listeners(EnumSet.allOf(Component.class))) {
      if (!processes.running(l.process()) && portOpen(l.port())) {
        found.add(
            "port "
                + l.port()
                + " ("
                + l.variable()
                + ") answers, but no "
                + l.process()
                + " process of this stack is known");
      }
    }
    return found;
  }

  /** A port a process of the stack listens on, and the variable that sets it. */
  private record Listener(String process, String variable, int port) {}

  /** Every port the processes of {@code components} listen on, instance by instance. */
  private List<Listener> listeners(Set<Component> components) {
    List<Listener> listeners = new ArrayList<>();
    for (Component c : components) {
      for (int k = 1; k <= settings.count(c); k++) {
        String name = settings.processName(c, k);
        String suffix = k == 1 ? "" : "_" + k;
        listeners.add(new Listener(name, c.portVariable() + suffix, settings.port(c, k)));
        if (c == Component.KAFKA) {
          listeners.add(
              new Listener(
                  name,
                  Component.KAFKA_CONTROLLER_PORT_VARIABLE + suffix,
                  settings.controllerPort(k)));
        }
        if (c == Component.QUOTES) {
          listeners.add(
              new Listener(
                  name, Component.QUOTES_WS_PORT_VARIABLE + suffix, settings.quotesWsPort(k)));
        }
      }
    }
    return listeners;
  }

  /** The process names of {@code c}: one per instance ({@link StackSettings#count}). */
  private List<String> names(Component c) {
    return IntStream.rangeClosed(1, settings.count(c))
        .mapToObj(k -> settings.processName(c, k))
        .toList();
  }

  /** Stops one component cleanly (its data kept); {@link #up} starts it again. */
  public void stop(Component c) {
    if (c == Component.POSTGRES) {
      postgres.stop();
    } else {
      names(c).parallelStream().forEach(name -> processes.stop(name, STOP_PATIENCE));
    }
  }

  /** Kills one component (every instance) with SIGKILL, as a crash would. */
  public void kill(Component c) {
    names(c).forEach(processes::kill);
  }

  /** Kills instance {@code k} (from 1) of {@code c} with SIGKILL; {@link #up} starts it again. */
  public void kill(Component c, int k) {
    processes.kill(settings.processName(c, k));
  }

  /** The process id of a running component (its first instance) started by this stack. */
  public OptionalLong pid(Component c) {
    return processes.pid(c.id());
  }

  /** The process id of instance {@code k} of {@code c}, while it runs. */
  public OptionalLong pid(Component c, int k) {
    return processes.pid(settings.processName(c, k));
  }

  /** Whether every instance of {@code c} runs. */
  public boolean running(Component c) {
    return names(c).stream().allMatch(processes::running);
  }

  /** Running and answering its health check. */
  public boolean up(Component c) {
    return running(c) && healthy(c);
  }

  /** One line per component: {@code up} or {@code DOWN} and its endpoint. */
  public Map<Component, Boolean> status(Collection<Component> components) {
    Map<Component, Boolean> checked = new java.util.concurrent.ConcurrentHashMap<>();
    components.parallelStream().forEach(c -> checked.put(c, up(c)));
    Map<Component, Boolean> result = new LinkedHashMap<>();
    components.stream().sorted().forEach(c -> result.put(c, checked.get(c)));
    return result;
  }

  /**
   * Creates or aligns the catalog's topics and, when the registry runs, registers the value schema
   * of every catalog topic whose values are Avro records, so that a client that serializes with a
   * subject's latest schema (and registers nothing itself) finds it before the first Java producer
   * has written.
   */
  public void applyTopics(Consumer<String> progress) {
    Properties admin = new Properties();
    admin.put("bootstrap.servers", settings.bootstrapServers());
    TopicCatalog.applyAll(admin, settings.replicationFactor(), progress);
    if (running(Component.REGISTRY)) {
      SchemaCatalog.registerAll(settings.registryUrl(), progress);
    }
  }

  public void deployConnectors(Consumer<String> progress) {
    new ConnectClient(settings.connectUrl())
        .apply(ConnectClient.connectorFiles(settings.repo()), progress);
  }

  /**
   * Runs SQL as the cluster's superuser (the OS user that runs it, over its private socket): for
   * the bootstrap and for tests that must look where no service role may.
   */
  public String superuserSql(String database, String sql) {
    return postgres.admin(database, sql);
  }

  public ConnectClient connect() {
    return new ConnectClient(settings.connectUrl());
  }

  // ------------------------------------------------------------------------------------ start

  /**
   * Starts {@code c} alone, without what it needs and without waiting for it: for tests that start
   * an app while something it needs is down.
   */
  public void startAlone(Component c) {
    start(c);
  }

  /**
   * Starts app {@code app} (not running) with variables added to its environment: settings by their
   * environment names (README, "Settings"), or {@code JDK_JAVA_OPTIONS} for its JVM. For a variant
   * of an app beside the stack's own configuration, such as the benchmark's; it does not wait for
   * the app.
   */
  public void startApp(Component app, Map<String, String> environment) {
    if (app.applicationId().isEmpty() && app != Component.OPS) {
      throw new IllegalArgumentException(app.id() + " is not an app");
    }
    start(app, environment);
  }

  private void start(Component c) {
    start(c, Map.of());
  }

  /** Starts every instance of {@code c} that does not run. */
  private void start(Component c, Map<String, String> appEnvironment) {
    for (int k = 1; k <= settings.count(c); k++) {
      if (settings.count(c) == 1 || !processes.running(settings.processName(c, k))) {
        start(c, k, appEnvironment);
      }
    }
  }

  private void start(Component c, int k, Map<String, String> appEnvironment) {
    switch (c) {
      case POSTGRES -> postgres.start();
      case REDIS -> startRedis();
      case KAFKA -> startKafka(k);
      case REGISTRY -> startRegistry();
      case CONNECT -> startConnect(k);
      case CANDLES ->
          startApp(c, k, "streams-apps/candles", "io.rtx.candles.CandlesApp", appEnvironment);
      case QUOTES ->
          startApp(c, k, "streams-apps/quotes", "io.rtx.quotes.QuotesApp", appEnvironment);
      case ORDERS ->
          startApp(c, k, "streams-apps/orders", "io.rtx.orders.OrdersApp", appEnvironment);
      case OPS -> startApp(c, k, "infra/ops", "io.rtx.ops.OpsApp", appEnvironment);
      case POSTGRES_EXPORTER -> startPostgresExporter();
      case REDIS_EXPORTER -> startRedisExporter();
    }
  }

  /**
   * Debian's PostgreSQL exporter as {@code rtx_monitor} (pg_monitor only), its password in its
   * environment; our own queries (replication lag, slot WAL) from {@code infra/prometheus}.
   */
  private void startPostgresExporter() {
    Component c = Component.POSTGRES_EXPORTER;
    Path queries = settings.repo().resolve("infra/prometheus/postgres-exporter-queries.yml");
    requireBuilt(queries, "infra/prometheus");
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "DATA_SOURCE_URI",
        StackSettings.HOST
            + ":"
            + settings.port(Component.POSTGRES)
            + "/"
            + settings.pgDatabase()
            + "?sslmode=disable");
    env.put("DATA_SOURCE_USER", Secrets.Role.MONITOR.roleName());
    env.put("DATA_SOURCE_PASS", settings.secrets().password(Secrets.Role.MONITOR));
    processes.spawn(
        c.id(),
        namedForHome(
            c,
            List.of(
                "prometheus-postgres-exporter",
                "--web.listen-address=" + StackSettings.HOST + ":" + settings.port(c),
                "--extend.query-path=" + queries,
                "--log.level=warn")),
        env);
  }

  /** Debian's Redis exporter, scraping the stack's Redis. */
  private void startRedisExporter() {
    Component c = Component.REDIS_EXPORTER;
    processes.spawn(
        c.id(),
        namedForHome(
            c,
            List.of(
                "prometheus-redis-exporter",
                "-web.listen-address",
                StackSettings.HOST + ":" + settings.port(c),
                "-redis.addr",
                settings.redisUrl(),
                "-set-client-name=false")),
        // its credentials from the environment, never on its command line
        Map.of(
            "REDIS_USER",
            RedisUser.EXPORTER.userName(),
            "REDIS_PASSWORD",
            settings.secrets().password(RedisUser.EXPORTER)));
  }

  /**
   * {@code command} run with {@code <home>/run/<component>} as its process name (argv[0]): a
   * process counts as the stack's only while its command line names the home, and the exporters
   * have no flag that would.
   */
  private List<String> namedForHome(Component c, List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec -a \"$0\" \"$@\""));
    cmd.add(settings.run().resolve(c.id()).toString());
    cmd.addAll(command);
    return cmd;
  }

  /**
   * The Prometheus configuration of this stack ({@code conf/prometheus.yml}), rendered from {@code
   * infra/prometheus} with the stack's ports: {@code prometheus --config.file=…} scrapes it all.
   */
  private void writePrometheusConfig() {
    try {
      PrometheusConfig.write(settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startRedis() {
    Path dir = mkdirs(settings.data(Component.REDIS));
    // The caches are filled again from Kafka, so Redis keeps nothing on disk.
    processes.spawn(
        Component.REDIS.id(),
        List.of(
            "redis-server",
            "--bind",
            StackSettings.HOST,
            "--port",
            Integer.toString(settings.port(Component.REDIS)),
            "--dir",
            dir.toString(),
            "--aclfile",
            writeRedisAcl().toString(),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--proc-title-template",
            "{title} {listen-addr} " + settings.home()),
        Map.of());
  }

  /**
   * {@code conf/redis.acl} (mode 600): the default user off, each {@link RedisUser} with its rules
   * and its password's SHA-256.
   */
  private Path writeRedisAcl() {
    StringBuilder acl = new StringBuilder("user default off resetkeys resetchannels -@all\n");
    for (RedisUser u : RedisUser.values()) {
      acl.append("user ")
          .append(u.userName())
          .append(" on #")
          .append(sha256(settings.secrets().password(u)))
          .append(' ')
          .append(u.rules())
          .append('\n');
    }
    Path file = settings.conf().resolve("redis.acl");
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, acl);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Broker {@code k} of the local cluster, each a KRaft controller too. One broker formats a
   * standalone quorum; several share a cluster id (kept in {@code conf/kafka.cluster.id}) and a
   * static quorum of them all, with replication {@link StackSettings#replicationFactor} and {@link
   * StackSettings#minInsyncReplicas} for every internal topic and by default.
   */
  private void startKafka(int k) {
    checkClusterSize();
    String name = settings.processName(Component.KAFKA, k);
    Path data = settings.data(Component.KAFKA, k);
    Path conf = settings.conf().resolve(name + ".properties");
    String host = StackSettings.HOST;
    int brokers = settings.brokers();
    String quorum =
        brokers == 1
            ? "controller.quorum.bootstrap.servers=" + host + ":" + settings.controllerPort()
            : "controller.quorum.voters="
                + IntStream.rangeClosed(1, brokers)
                    .mapToObj(n -> n + "@" + host + ":" + settings.controllerPort(n))
                    .collect(Collectors.joining(","));
    int rf = settings.replicationFactor();
    int isr = settings.minInsyncReplicas();
    write(
        conf,
        "process.roles=broker,controller",
        "node.id=" + k,
        quorum,
        "listeners=PLAINTEXT://"
            + host
            + ":"
            + settings.port(Component.KAFKA, k)
            + ",CONTROLLER://"
            + host
            + ":"
            + settings.controllerPort(k),
        "advertised.listeners=PLAINTEXT://" + host + ":" + settings.port(Component.KAFKA, k),
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + data,
        "num.partitions=1",
        "auto.create.topics.enable=false",
        "default.replication.factor=" + rf,
        "min.insync.replicas=" + isr,
        "offsets.topic.replication.factor=" + rf,
        "transaction.state.log.replication.factor=" + rf,
        "transaction.state.log.min.isr=" + isr,
        "share.coordinator.state.topic.replication.factor=" + rf,
        "share.coordinator.state.topic.min.isr=" + isr,
        "group.initial.rebalance.delay.ms=0",
        // The log cleaner's key map is allocated whole on the heap when the broker starts: Kafka's
        // 128 MB default is a quarter of RTX_HEAP's default and half the test stacks' 256 MB, where
        // a broker restarted under load once ran out of heap allocating it. 32 MB holds 1.3
        // million keys a cleaning pass.
        "log.cleaner.dedupe.buffer.size=" + (32 << 20));
    if (!Files.isRegularFile(data.resolve("meta.properties"))) {
      mkdirs(data);
      List<String> format = new ArrayList<>(javaCommand(runtimeClasspath(), Jvm.SMALL, "128m"));
      format.addAll(
          List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", conf.toString()));
      if (brokers == 1) {
        format.add("--standalone");
      }
      Processes.run(format, Map.of(), null, Duration.ofMinutes(1));
    }
    List<String> cmd =
        new ArrayList<>(javaCommand(runtimeClasspath(), Jvm.BUFFERING, settings.heap()));
    cmd.addAll(List.of("kafka.Kafka", conf.toString()));
    processes.spawn(name, cmd, Map.of());
  }

  /**
   * Refuses a home whose broker data was formatted for another number of brokers (data of a single
   * broker from before this was recorded counts as one), naming the setting.
   */
  private void checkClusterSize() {
    Path recorded = settings.conf().resolve("kafka.brokers");
    try {
      String formatted =
          Files.isRegularFile(recorded)
              ? Files.readString(recorded).strip()
              : Files.isRegularFile(settings.data(Component.KAFKA, 1).resolve("meta.properties"))
                  ? "1"
                  : null;
      if (formatted != null && !formatted.equals(Integer.toString(settings.brokers()))) {
        throw new StackException(
            "the Kafka data in "
                + settings.home()
                + " is of a cluster of "
                + formatted
                + " broker(s), but "
                + StackSettings.BROKERS
                + " is "
                + settings.brokers()
                + ": set it back, or ./rtx down --wipe first");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The local cluster's id, made once per home: every broker is formatted with it. */
  private String clusterId() {
    Path file = settings.conf().resolve("kafka.cluster.id");
    try {
      if (!Files.isRegularFile(file)) {
        Files.writeString(file, org.apache.kafka.common.Uuid.randomUuid().toString());
        Files.writeString(
            settings.conf().resolve("kafka.brokers"), Integer.toString(settings.brokers()));
      }
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startRegistry() {
    Path dir = settings.repo().resolve("infra/stack/target/registry");
    Path jar = find(dir, "apicurio-registry-app-*-runner.jar");
    mkdirs(settings.data(Component.REGISTRY));
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx128m"));
    cmd.addAll(Jvm.SMALL.flags);
    cmd.addAll(
        List.of(
            "-Drtx.home=" + settings.home(),
            "-Dquarkus.http.host=" + StackSettings.HOST,
            "-Dquarkus.http.port=" + settings.port(Component.REGISTRY),
            "-Dquarkus.log.level=WARN",
            "-jar",
            jar.toString()));
    processes.spawn(
        Component.REGISTRY.id(),
        cmd,
        // H2 in a file keeps schema ids stable across restarts (in-memory would renumber them).
        Map.of(
            "REGISTRY_DATASOURCE_URL",
            "jdbc:h2:file:" + settings.data(Component.REGISTRY).resolve("registry")));
  }

  /** Connect worker {@code k}; every worker joins one group and shares its topics. */
  private void startConnect(int k) {
    String pluginPath =
        Stream.of(
                "infra/connect-plugins/target/plugins",
                "connectors/copy-sink/target/plugin",
                "connectors/ledger-sink/target/plugin")
            .map(settings.repo()::resolve)
            .peek(p -> requireBuilt(p, "the Connect plugins"))
            .map(Path::toString)
            .reduce((a, b) -> a + "," + b)
            .orElseThrow();
    String name = settings.processName(Component.CONNECT, k);
    Path conf = settings.conf().resolve(name + ".properties");
    int port = settings.port(Component.CONNECT, k);
    write(
        conf,
        "bootstrap.servers=" + settings.bootstrapServers(),
        "group.id=" + Names.CONNECT_GROUP,
        "listeners=http://" + StackSettings.HOST + ":" + port,
        "rest.advertised.host.name=" + StackSettings.HOST,
        "rest.advertised.port=" + port,
        "config.storage.topic=" + Names.CONNECT_CONFIG_TOPIC,
        "offset.storage.topic=" + Names.CONNECT_OFFSET_TOPIC,
        "status.storage.topic=" + Names.CONNECT_STATUS_TOPIC,
        "config.storage.replication.factor=" + settings.replicationFactor(),
        "offset.storage.replication.factor=" + settings.replicationFactor(),
        "status.storage.replication.factor=" + settings.replicationFactor(),
        "offset.flush.interval.ms=1000",
        "key.converter=org.apache.kafka.connect.storage.StringConverter",
        "value.converter=io.apicurio.registry.utils.converter.AvroConverter",
        "value.converter.apicurio.registry.url=" + settings.registryUrl(),
        "value.converter.apicurio.registry.auto-register=true",
        "value.converter.apicurio.registry.as-confluent=true",
        "value.converter.apicurio.registry.use-id=contentId",
        "value.converter.apicurio.registry.headers.enabled=false",
        "value.converter.apicurio.registry.avro-datum-provider="
            + "io.rtx.schemas.RememberingDatumProvider",
        "plugin.path=" + pluginPath,
        "# plugins are found by their ServiceLoader entries, not by scanning every jar; the Apicurio",
        "# converter's entry is in rtx-schemas' datum-provider jar beside it",
        "plugin.discovery=service_load",
        "config.providers=env",
        "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        "# connector configs may read these variables only, not the worker's whole environment",
        "config.providers.env.param.allowlist.pattern=" + CONNECTOR_ENV_ALLOWLIST,
        "connector.client.config.override.policy=All");
    List<String> cmd =
        new ArrayList<>(javaCommand(runtimeClasspath(), Jvm.BUFFERING, settings.heap()));
    // The sink writes timestamps without a zone: the worker must run in UTC.
    cmd.add(1, "-Duser.timezone=UTC");
    cmd.addAll(List.of("org.apache.kafka.connect.cli.ConnectDistributed", conf.toString()));
    processes.spawn(name, cmd, connectorEnvironment());
  }

  /** Variables connector configs may name ({@code ${env:RTX_SINK_JDBC_URL}}): nothing else. */
  static final String CONNECTOR_ENV_ALLOWLIST = "RTX_(SINK|CDC)_[A-Z_]+";

  /**
   * The database endpoints and credentials connectors read from the worker's environment, never
   * from their JSON: the sinks as rtx_sink, the Debezium source as rtx_cdc.
   */
  private Map<String, String> connectorEnvironment() {
    Secrets secrets = settings.secrets();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RTX_SINK_JDBC_URL", settings.jdbcUrl() + "?reWriteBatchedInserts=true");
    env.put("RTX_SINK_JDBC_USER", Secrets.Role.SINK.roleName());
    env.put("RTX_SINK_JDBC_PASSWORD", secrets.password(Secrets.Role.SINK));
    env.put("RTX_CDC_DB_HOST", StackSettings.HOST);
    env.put("RTX_CDC_DB_PORT", Integer.toString(settings.port(Component.POSTGRES)));
    env.put("RTX_CDC_DB_NAME", settings.pgDatabase());
    env.put("RTX_CDC_DB_USER", Secrets.Role.CDC.roleName());
    env.put("RTX_CDC_DB_PASSWORD", secrets.password(Secrets.Role.CDC));
    env.put("RTX_CDC_REGISTRY_URL", settings.registryUrl());
    return env;
  }

  /**
   * A Streams app or the ops service, its settings given through their environment names (README,
   * "Settings").
   */
  private void startApp(
      Component app, int k, String module, String mainClass, Map<String, String> environment) {
    Path moduleDir = settings.repo().resolve(module);
    Path cpFile = moduleDir.resolve("target/classpath.txt");
    requireBuilt(cpFile, module);
    String classpath = moduleDir.resolve("target/classes") + ":" + read(cpFile).strip();
    List<String> cmd = new ArrayList<>(javaCommand(classpath, Jvm.SMALL, settings.appHeap()));
    cmd.add(1, "-Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager");
    // the ops service checks the components as ./rtx status does: it needs the stack's checkout
    cmd.add(1, "-Drtx.repo=" + settings.repo());
    cmd.add(mainClass);
    Map<String, String> env = new LinkedHashMap<>();
    env.put(Names.envName("kafka.bootstrap.servers"), settings.bootstrapServers());
    env.put(
        Names.envName("topics.replication.factor"), Integer.toString(settings.replicationFactor()));
    env.put(Names.envName("registry.url"), settings.registryUrl());
    env.put(Names.envName("http.port"), Integer.toString(settings.port(app, k)));
    if (app.applicationId().isPresent()) {
      env.put(
          Names.envName("kafka.application.server"),
          StackSettings.HOST + ":" + settings.port(app, k));
      env.put(Names.envName("kafka.state.dir"), mkdirs(settings.data(app, k)).toString());
      env.put(Names.envName("quotes.redis.url"), settings.redisUrl(RedisUser.QUOTES));
      env.put(Names.envName("quotes.ws.port"), Integer.toString(settings.quotesWsPort(k)));
      env.put(Names.envName("orders.redis.url"), settings.redisUrl(RedisUser.ORDERS));
    }
    if (app == Component.OPS) {
      env.put(Names.envName("ops.connect.url"), settings.connectUrl());
      env.put(Names.envName("ops.redis.url"), settings.redisUrl(RedisUser.READER));
      env.put(Names.envName("ops.candles.url"), settings.httpUrl(Component.CANDLES));
      env.put(Names.envName("ops.quotes.ws.url"), settings.quotesWsUrl());
    }
    env.putAll(environment);
    processes.spawn(settings.processName(app, k), cmd, env);
  }

  /**
   * Hands the memory glibc keeps after a free (the JIT compilers' arenas, RocksDB's) back to the
   * system every 5 s.
   */
  private static final String TRIM = "-XX:TrimNativeHeapInterval=5000";

  /** The two kinds of JVM the stack runs, by the collector that suits their heap. */
  private enum Jvm {
    /**
     * The broker and the Connect worker: large heaps of records in flight, G1 as Kafka recommends.
     */
    BUFFERING("-XX:+UseG1GC", "-Xms128m", TRIM),
    /**
     * The apps, the ops service, the registry and tools: a small live set, where G1's own
     * structures (about 45 MB a JVM here) would cost more than the heap they manage. A small
     * initial heap lets the collector size it to that live set: with the initial heap equal to the
     * max, the young generation alone is a third of it, and every page of it is touched.
     */
    SMALL("-XX:+UseSerialGC", "-Xms32m", TRIM);

    /** The collector and what goes with it, beside the max heap. */
    final List<String> flags;

    Jvm(String... flags) {
      this.flags = List.of(flags);
    }
  }

  private List<String> javaCommand(String classpath, Jvm jvm, String heap) {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + heap));
    cmd.addAll(jvm.flags);
    cmd.addAll(
        List.of(
            "-Drtx.home=" + settings.home(),
            "-Dlog4j2.configurationFile=" + settings.repo().resolve("infra/conf/log4j2.xml"),
            "-cp",
            classpath));
    return cmd;
  }

  /** The JVM that runs us runs the stack's JVMs too. */
  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private String runtimeClasspath() {
    Path cp = settings.repo().resolve("infra/stack/target/classpath.txt");
    requireBuilt(cp, "infra/stack");
    return read(cp).strip();
  }

  // ------------------------------------------------------------------------------------ health

  /** Whether a component answers as it should (not whether its process is ours). */
  public boolean healthy(Component c) {
    return IntStream.rangeClosed(1, settings.count(c)).allMatch(k -> healthy(c, k));
  }

  private boolean healthy(Component c, int k) {
    return switch (c) {
      case POSTGRES -> postgres.healthy();
      case REDIS -> redisPing();
      case KAFKA ->
          portOpen(settings.port(c, k))
              && logSays(settings.processName(c, k), "Kafka Server started");
      case REGISTRY -> httpOk(settings.confluentRegistryUrl() + "/subjects", null);
      case CONNECT -> httpOk(settings.httpUrl(c, k) + "/connector-plugins", "PostgresConnector");
      case CANDLES, QUOTES, ORDERS, OPS -> httpOk(settings.httpUrl(c, k) + "/health", null);
      // Up means the exporter reaches what it watches, not only that it answers.
      case POSTGRES_EXPORTER -> httpOk(settings.httpUrl(c) + "/metrics", "\npg_up 1\n");
      case REDIS_EXPORTER -> httpOk(settings.httpUrl(c) + "/metrics", "\nredis_up 1\n");
    };
  }

  /**
   * Ready for work: healthy, and for a Streams app also done with its rebalance ({@code RUNNING}),
   * so that {@code up} returns when the app processes rather than while it still waits for its
   * partitions.
   */
  private boolean ready(Component c) {
    return switch (c) {
      case CANDLES, QUOTES, ORDERS ->
          IntStream.rangeClosed(1, settings.count(c))
              .allMatch(k -> httpOk(settings.httpUrl(c, k) + "/health", "\"state\":\"RUNNING\""));
      default -> healthy(c);
    };
  }

  private void awaitReady(Component c, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ready(c)) {
        return;
      }
      for (String name : names(c)) {
        if (!processes.running(name)) {
          Processes.pause(1_000); // what it said last may still be on its way to the log
          throw new StackException(
              name
                  + " exited during start-up ("
                  + processes.howItEnded(name)
                  + "); last lines of "
                  + settings.log(name)
                  + ":\n"
                  + processes.tail(name, 20));
        }
      }
      Processes.pause(250);
    }
    StringBuilder tails = new StringBuilder();
    for (String name : names(c)) {
      tails.append("\nlast lines of ").append(settings.log(name)).append(":\n");
      tails.append(processes.tail(name, 30));
    }
    throw new StackException(
        c.id() + " did not become ready within " + timeout.toSeconds() + "s" + tails);
  }

  private boolean redisPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(StackSettings.HOST, settings.port(Component.REDIS)), 1000);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      // as the read-only user: the default user is off (the password is base64url, no spaces)
      RedisUser u = RedisUser.READER;
      out.write(
          ("AUTH " + u.userName() + " " + settings.secrets().password(u) + "\r\nPING\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String expected = "+OK\r\n+PONG\r\n";
      byte[] answer = new byte[expected.length()];
      InputStream in = s.getInputStream();
      int n = in.readNBytes(answer, 0, answer.length);
      return new String(answer, 0, n, StandardCharsets.US_ASCII).equals(expected);
    } catch (IOException e) {
      return false;
    }
  }

  private boolean logSays(String process, String line) {
    try (Stream<String> lines = Files.lines(settings.log(process), StandardCharsets.UTF_8)) {
      return lines.anyMatch(l -> l.contains(line));
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  private boolean httpOk(String url, String mustContain) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && (mustContain == null || r.body().contains(mustContain));
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static boolean portOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(StackSettings.HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port held by something that is not ours is a clear error now, not a mystery later. */
  private void checkPortsFree(Set<Component> components) {
    for (Listener l : listeners(components)) {
      if (!processes.running(l.process()) && portOpen(l.port())) {
        throw new StackException(
            "port "
                + l.port()
                + " ("
                + l.process()
                + ") is taken by another process: stop it or set "
                + l.variable()
                + " to a free port");
      }
    }
  }

  /** Every subject BACKWARD compatible, as a production registry would be set. */
  private void configureRegistry() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(settings.confluentRegistryUrl() + "/config"))
                  .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                  .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new StackException(
            "could not set the registry's compatibility to BACKWARD: HTTP " + r.statusCode());
      }
    } catch (IOException e) {
      throw new StackException("could not set the registry's compatibility: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }

  // ------------------------------------------------------------------------------------ files

  private static void requireBuilt(Path p, String what) {
    if (!Files.exists(p)) {
      throw new StackException(what + " is not built (" + p + " missing): run ./rtx build");
    }
  }

  private static Path find(Path dir, String glob) {
    requireBuilt(dir, "the schema registry");
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
      for (Path f : files) {
        return f;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new StackException("no " + glob + " in " + dir + ": run ./rtx build");
  }

  private static Path mkdirs(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String... lines) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\n", Arrays.asList(lines)) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory and everything below it; nothing when it does not exist. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
