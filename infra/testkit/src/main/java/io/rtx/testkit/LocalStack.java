package io.rtx.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real stack for integration tests, started through {@code ./rtx up} (the same code path people
 * use) on free ports with its own RTX_HOME, and wiped when the test run ends.
 *
 * <p>With {@code RTX_IT_STACK=running} (environment or system property {@code rtx.it.stack}) the
 * tests use the stack already running on the ports of the environment instead, and leave it
 * running.
 */
public final class LocalStack implements AutoCloseable {

  private static final String[][] PORTS = {
    {"RTX_PG_PORT", "5432"}, {"RTX_REDIS_PORT", "6379"}, {"RTX_BROKER_PORT", "9092"},
    {"RTX_CONTROLLER_PORT", "9093"}, {"RTX_REGISTRY_PORT", "8081"}, {"RTX_CONNECT_PORT", "8083"},
    {"RTX_CANDLES_PORT", "8090"}, {"RTX_QUOTES_PORT", "8091"}
  };

  private final Path repo;
  private final Map<String, String> env = new HashMap<>();
  private final boolean owned;
  private final Set<Component> started = EnumSet.noneOf(Component.class);

  private LocalStack(Path repo, boolean owned) {
    this.repo = repo;
    this.owned = owned;
  }

  /**
   * A stack on free ports (or the running one, with RTX_IT_STACK=running); nothing starts until
   * {@link #ensure}.
   */
  public static LocalStack create() throws IOException {
    Path repo = findRepo();
    String mode =
        System.getProperty("rtx.it.stack", System.getenv().getOrDefault("RTX_IT_STACK", "own"));
    LocalStack s = new LocalStack(repo, !mode.equals("running"));
    for (String[] p : PORTS) {
      s.env.put(
          p[0], s.owned ? Integer.toString(freePort()) : System.getenv().getOrDefault(p[0], p[1]));
    }
    s.env.put("RTX_PG_USER", System.getenv().getOrDefault("RTX_PG_USER", "rtx"));
    s.env.put("RTX_PG_PASSWORD", System.getenv().getOrDefault("RTX_PG_PASSWORD", "rtx"));
    s.env.put("RTX_PG_DB", System.getenv().getOrDefault("RTX_PG_DB", "rtx"));
    if (s.owned) {
      // Short path under /tmp: PostgreSQL's socket path must stay under 108 bytes.
      s.env.put("RTX_HOME", Files.createTempDirectory("rtx-it-").toString());
      s.env.put("RTX_HEAP", System.getenv().getOrDefault("RTX_HEAP", "384m"));
      s.env.put("RTX_SKIP_BUILD", "1"); // we run inside the build
      s.env.put("RTX_SKIP_INSTALL", "1"); // ./rtx test installed what tests need
    }
    return s;
  }

  /** Starts whichever of {@code components} are not yet running. */
  public synchronized void ensure(Collection<Component> components)
      throws IOException, InterruptedException {
    if (!owned) {
      return;
    }
    List<String> missing =
        components.stream().filter(c -> !started.contains(c)).map(Component::rtxName).toList();
    if (missing.isEmpty()) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("rtx").toString(), "up"));
    cmd.addAll(missing);
    rtx(cmd, 300);
    started.addAll(components);
  }

  /** Runs an {@code ./rtx} command against this stack, e.g. {@code rtx("connectors")}. */
  public void rtx(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("rtx").toString()));
    cmd.addAll(List.of(args));
    rtx(cmd, 300);
  }

  private void rtx(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("rtx-it-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    // Tests apply topics and deploy connectors themselves, when their fixtures are ready.
    pb.environment().put("RTX_SKIP_TOPICS", "1");
    pb.environment().put("RTX_SKIP_CONNECTORS", "1");
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", cmd) + " timed out:\n" + Files.readString(log));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + Files.readString(log));
    }
    Files.deleteIfExists(log);
  }

  @Override
  public synchronized void close() throws Exception {
    if (!owned) {
      return;
    }
    rtx(List.of("bash", repo.resolve("rtx").toString(), "down", "--wipe"), 120);
    Path home = Path.of(env.get("RTX_HOME"));
    if (Files.exists(home)) {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static Path findRepo() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("rtx")) && Files.isDirectory(p.resolve("infra"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the rtx-streams checkout above " + Path.of("").toAbsolutePath());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private int port(String var) {
    return Integer.parseInt(env.get(var));
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port("RTX_BROKER_PORT");
  }

  /** The registry's core v2 API, as our serdes and the Connect converter use it. */
  public String registryUrl() {
    return "http://127.0.0.1:" + port("RTX_REGISTRY_PORT") + "/apis/registry/v2";
  }

  /** The registry's Confluent-compatible API. */
  public String confluentRegistryUrl() {
    return "http://127.0.0.1:" + port("RTX_REGISTRY_PORT") + "/apis/ccompat/v7";
  }

  /** HTTP endpoint of the candles app. */
  public String candlesUrl() {
    return "http://127.0.0.1:" + port("RTX_CANDLES_PORT");
  }

  public String connectUrl() {
    return "http://127.0.0.1:" + port("RTX_CONNECT_PORT");
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port("RTX_PG_PORT") + "/" + env.get("RTX_PG_DB");
  }

  public String pgUser() {
    return env.get("RTX_PG_USER");
  }

  public String pgPassword() {
    return env.get("RTX_PG_PASSWORD");
  }

  public String redisHost() {
    return "127.0.0.1";
  }

  public int redisPort() {
    return port("RTX_REDIS_PORT");
  }

  public Path repo() {
    return repo;
  }
}
