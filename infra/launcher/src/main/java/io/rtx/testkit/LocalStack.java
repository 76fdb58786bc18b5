package io.rtx.testkit;

import io.rtx.launcher.RedisUser;
import io.rtx.launcher.Stack;
import io.rtx.launcher.StackSettings;
import io.rtx.schemas.Component;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real stack for integration tests, started through the launcher ({@link Stack}), the same code
 * {@code ./rtx up} runs, on free ports with a home of its own.
 *
 * <ul>
 *   <li>Shared: one stack for all the test classes that do not break it. {@code ./rtx test} names
 *       its home ({@code RTX_IT_HOME}), so every test JVM of the run finds the same stack and
 *       {@code ./rtx test} stops it at the end; without it, each test JVM has its own, stopped when
 *       the JVM ends. With {@code RTX_IT_STACK=running} the tests use the stack already running on
 *       the environment's ports and leave it running.
 *   <li>Isolated: a stack of one test class alone, for tests that stop or kill components; always
 *       on its own ports and home, never the developer's, and wiped after the class.
 * </ul>
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

  private final Stack stack;
  private final boolean stopAtClose;

  private LocalStack(Stack stack, boolean stopAtClose) {
    this.stack = stack;
    this.stopAtClose = stopAtClose;
  }

  /** The stack shared by the test classes of this JVM (or of this ./rtx test run). */
  public static LocalStack shared() {
    Path repo = findRepo();
    if (onRunningStack()) {
      return new LocalStack(new Stack(StackSettings.fromEnvironment(repo, System.getenv())), false);
    }
    String runHome = System.getenv("RTX_IT_HOME");
    if (runHome != null && !runHome.isBlank()) {
      return new LocalStack(new Stack(StackSettings.onFreePorts(repo, Path.of(runHome))), false);
    }
    return isolated();
  }

  /**
   * Stops the processes of this {@code ./rtx test} run's shared stack, its data kept, if any run:
   * the next class that uses it starts them again. Idle between its classes, the shared stack still
   * took half a core (its broker, the quotes app's 1 ms polls), which an isolated stack with a
   * broker of its own needs on this 2-core machine. A stack the tests did not start is left alone.
   */
  public static void stopShared() {
    String runHome = System.getenv("RTX_IT_HOME");
    if (onRunningStack()
        || runHome == null
        || runHome.isBlank()
        || !Files.isRegularFile(Path.of(runHome, "conf", "stack.properties"))) {
      return;
    }
    Stack shared = new Stack(StackSettings.onFreePorts(findRepo(), Path.of(runHome)));
    if (Arrays.stream(Component.values()).anyMatch(shared::running)) {
      log.info("stopping the shared stack while an isolated one runs");
      shared.down(false, log::info);
    }
  }

  /** Whether the tests use the stack already running on the environment's ports. */
  private static boolean onRunningStack() {
    return System.getProperty("rtx.it.stack", System.getenv().getOrDefault("RTX_IT_STACK", ""))
        .equals("running");
  }

  /** A stack of its own, on free ports, killed and wiped by {@link #close()}. */
  public static LocalStack isolated() {
    return isolated(1, 1);
  }

  /**
   * {@link #isolated()} with {@code brokers} brokers and {@code instances} processes of each
   * Streams app and Connect worker.
   */
  public static LocalStack isolated(int brokers, int instances) {
    try {
      // Short path under /tmp: PostgreSQL's socket path must stay under 108 bytes.
      Path home = Files.createTempDirectory("rtx-it-");
      return new LocalStack(
          new Stack(StackSettings.onFreePorts(findRepo(), home, brokers, instances)), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts whichever of {@code components} (and what they need) are not running. */
  public synchronized void ensure(Collection<Component> components) {
    boolean missing = components.stream().anyMatch(c -> !stack.running(c));
    if (missing) {
      // Tests apply topics and deploy connectors themselves, when their fixtures are ready.
      stack.up(components, Stack.UpOptions.PROCESSES_ONLY, log::info);
    }
  }

  /** Stops a component cleanly (data kept); {@link #ensure} starts it again. */
  public void stop(Component c) {
    stack.stop(c);
  }

  /** Starts {@code c} alone, even while what it needs is down, without waiting for it. */
  public void startAlone(Component c) {
    stack.startAlone(c);
  }

  /** Kills a component with SIGKILL, as a crash would. */
  public void kill(Component c) {
    stack.kill(c);
  }

  /** Deploys {@code connectors/*.json}, as {@code ./rtx up} does. */
  public void deployConnectors() {
    stack.deployConnectors(log::info);
  }

  public Stack stack() {
    return stack;
  }

  public StackSettings settings() {
    return stack.settings();
  }

  @Override
  public synchronized void close() {
    if (!stopAtClose) {
      return;
    }
    // Its data is wiped next, so nothing needs a clean shutdown: the apps' leaving their groups,
    // Connect's and the brokers' took up to half a minute of each isolated class. PostgreSQL is
    // stopped by down, fast.
    Arrays.stream(Component.values())
        .filter(c -> c != Component.POSTGRES)
        .parallel()
        .forEach(stack::kill);
    stack.down(true, log::info);
    Stack.deleteTree(stack.settings().home());
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

  public String bootstrapServers() {
    return settings().bootstrapServers();
  }

  /** The registry's core v2 API, as our serdes and the Connect converter use it. */
  public String registryUrl() {
    return settings().registryUrl();
  }

  /** The registry's Confluent-compatible API. */
  public String confluentRegistryUrl() {
    return settings().confluentRegistryUrl();
  }

  /** HTTP endpoint of the candles app. */
  public String candlesUrl() {
    return settings().httpUrl(Component.CANDLES);
  }

  public String connectUrl() {
    return settings().connectUrl();
  }

  public String jdbcUrl() {
    return settings().jdbcUrl();
  }

  public String pgUser() {
    return settings().pgUser();
  }

  public String pgPassword() {
    return settings().pgPassword();
  }

  /** The stack's Redis as {@code user}, password included. */
  public URI redisUri(RedisUser user) {
    return URI.create(settings().redisUrl(user));
  }

  public Path repo() {
    return settings().repo();
  }
}
