package io.rtx.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtx.common.ConfigMask;
import io.rtx.launcher.ConnectClient;
import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.ConnectClient.TaskState;
import io.rtx.launcher.ReplicationSlots;
import io.rtx.launcher.Stack;
import io.rtx.launcher.StackException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./rtx connect …}: the connectors, for the people who run them, over the Connect REST API
 * (kcctl's verbs: tables for people, {@code --json} for scripts). Every call goes through {@link
 * ConnectClient}, the platform's one Connect client.
 */
@Command(
    name = "connect",
    description =
        "Manage connectors on $RTX_CONNECT_URL (default: the local worker): ls, describe, validate,"
            + " apply, pause, resume, stop, restart, delete, offsets, watch.",
    subcommands = {
      ConnectCommand.Ls.class,
      ConnectCommand.Describe.class,
      ConnectCommand.Validate.class,
      ConnectCommand.Apply.class,
      ConnectCommand.Pause.class,
      ConnectCommand.Resume.class,
      ConnectCommand.Stop.class,
      ConnectCommand.Restart.class,
      ConnectCommand.Delete.class,
      ConnectCommand.Offsets.class,
      ConnectCommand.Watch.class
    })
final class ConnectCommand implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ConnectCommand.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** How long pause, resume and stop wait for the connector to reach the state they asked for. */
  private static final Duration SETTLE = Duration.ofSeconds(60);

  @Spec CommandSpec spec;

  private Stack stack;
  private final String url;

  /** On the local stack, or the worker at $RTX_CONNECT_URL. */
  ConnectCommand() {
    this(null, System.getenv("RTX_CONNECT_URL"));
  }

  /** On the worker of {@code stack}, whatever the environment says (tests). */
  ConnectCommand(Stack stack) {
    this(stack, null);
  }

  /** On the worker at {@code url} when given (not blank), else on the worker of {@code stack}. */
  ConnectCommand(Stack stack, String url) {
    this.stack = stack;
    this.url = url;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "usage: ./rtx connect ls|describe|validate|apply|pause|resume|stop|restart|delete|offsets|watch"
            + " … (./rtx connect --help)");
  }

  Stack stack() {
    if (stack == null) {
      stack = Rtx.stack();
    }
    return stack;
  }

  ConnectClient client() {
    return new ConnectClient(url != null && !url.isBlank() ? url : stack().settings().connectUrl());
  }

  /** What every verb shares: the parent's client and the command line's output. */
  abstract static class Verb implements Callable<Integer> {
    @ParentCommand ConnectCommand parent;
    @Spec CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** Text of several lines; flushed, as picocli's writer flushes only on println. */
    void print(String text) {
      out().print(text);
      out().flush();
    }

    ConnectClient client() {
      return parent.client();
    }

    void json(Object value) {
      try {
        out().println(JSON.writeValueAsString(value));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Waits until the connector's own state is {@code target}; fails with its last state. */
    ConnectorState settle(String name, String target) {
      long deadline = System.nanoTime() + SETTLE.toNanos();
      while (true) {
        ConnectorState s = client().state(name);
        if (s.state().equals(target)) {
          return s;
        }
        if (System.nanoTime() > deadline) {
          throw new StackException(
              "connector "
                  + name
                  + " is still "
                  + s.state()
                  + " after "
                  + SETTLE.toSeconds()
                  + " s");
        }
        sleep(Duration.ofMillis(250));
      }
    }
  }

  // ------------------------------------------------------------------------------------ ls

  @Command(
      mixinStandardHelpOptions = true,
      name = "ls",
      description = "Every connector: type, state, tasks running/failed, topics.")
  static final class Ls extends Verb {
    @Option(names = "--json", description = "JSON for scripts instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      ConnectClient c = client();
      List<ConnectorState> states = c.states();
      Map<String, List<String>> topics = new LinkedHashMap<>();
      for (ConnectorState s : states) {
        topics.put(s.name(), topicsOf(c, s.name()));
      }
      if (json) {
        ArrayNode all = JSON.createArrayNode();
        for (ConnectorState s : states) {
          ObjectNode n = JSON.valueToTree(s);
          n.put("tasksRunning", s.tasksRunning());
          n.put("tasksFailed", s.tasksFailed());
          n.set("topics", JSON.valueToTree(topics.get(s.name())));
          all.add(n);
        }
        json(all);
      } else {
        print(table(states, topics));
      }
      return 0;
    }
  }

  /** The topics a connector used, or else those its config names (a sink yet to consume). */
  static List<String> topicsOf(ConnectClient c, String name) {
    try {
      List<String> used = c.topics(name);
      if (!used.isEmpty()) {
        return used;
      }
      Map<String, String> config = c.config(name);
      String named = config.getOrDefault("topics", config.getOrDefault("topics.regex", ""));
      return named.isBlank() ? List.of() : List.of(named.split("\\s*,\\s*"));
    } catch (StackException e) {
      return List.of(); // deleted between the two calls
    }
  }

  /** The {@code ls} table. */
  static String table(List<ConnectorState> states, Map<String, List<String>> topics) {
    Table t = new Table("NAME", "TYPE", "STATE", "TASKS", "TOPICS");
    for (ConnectorState s : states) {
      t.row(
          s.name(),
          s.type(),
          s.state(),
          tasks(s),
          String.join(",", topics.getOrDefault(s.name(), List.of())));
    }
    return t.render();
  }

  /** {@code 2/2 RUNNING}, or {@code 1/2 RUNNING, 1 FAILED}: running of all, then the others. */
  static String tasks(ConnectorState s) {
    Map<String, Integer> others = new TreeMap<>();
    for (TaskState t : s.tasks()) {
      if (!t.state().equals("RUNNING")) {
        others.merge(t.state(), 1, Integer::sum);
      }
    }
    StringBuilder b = new StringBuilder(s.tasksRunning() + "/" + s.tasks().size() + " RUNNING");
    // FAILED first: it is what people look for
    Integer failed = others.remove("FAILED");
    if (failed != null) {
      b.append(", ").append(failed).append(" FAILED");
    }
    others.forEach((state, n) -> b.append(", ").append(n).append(' ').append(state));
    return b.toString();
  }

  // ------------------------------------------------------------------------------ describe

  @Command(
      mixinStandardHelpOptions = true,
      name = "describe",
      description =
          "A connector: state, plugin and version, topics, tasks with the first lines of each"
              + " failure, config with secrets masked.")
  static final class Describe extends Verb {
    @Parameters(paramLabel = "NAME")
    String name;

    private int traceLines;

    @Option(
        names = "--trace-lines",
        defaultValue = "6",
        description = "Lines of each failure's stack trace to show (default: ${DEFAULT-VALUE}).")
    void traceLines(int value) {
      traceLines = Flags.atLeast(spec, "--trace-lines", value, 0);
    }

    @Option(names = "--json", description = "JSON for scripts instead of text.")
    boolean json;

    @Override
    public Integer call() {
      ConnectClient c = client();
      ConnectorState s = c.state(name);
      Map<String, String> config = ConfigMask.mask(c.config(name));
      String pluginClass = config.getOrDefault("connector.class", "");
      Optional<ConnectClient.Plugin> plugin =
          c.plugins().stream()
              .filter(
                  p ->
                      p.className().equals(pluginClass)
                          || p.className().endsWith("." + pluginClass))
              .findFirst();
      List<String> topics = topicsOf(c, name);
      if (json) {
        ObjectNode n = JSON.valueToTree(s);
        n.set("plugin", plugin.<JsonNode>map(JSON::valueToTree).orElse(JSON.nullNode()));
        n.set("topics", JSON.valueToTree(topics));
        n.set("config", JSON.valueToTree(config));
        json(n);
        return 0;
      }
      print(describe(s, plugin.orElse(null), pluginClass, topics, config, traceLines));
      return 0;
    }
  }

  /** The {@code describe} text. */
  static String describe(
      ConnectorState s,
      ConnectClient.Plugin plugin,
      String pluginClass,
      List<String> topics,
      Map<String, String> maskedConfig,
      int traceLines) {
    StringBuilder b = new StringBuilder();
    b.append("Name:     ").append(s.name()).append('\n');
    b.append("Type:     ").append(s.type()).append('\n');
    b.append("State:    ").append(s.state()).append(" on ").append(s.workerId()).append('\n');
    trace(b, s.trace(), traceLines, "          ");
    b.append("Plugin:   ")
        .append(
            plugin == null ? pluginClass + " (not installed on this worker)" : plugin.className())
        .append(plugin == null ? "" : " " + plugin.version())
        .append('\n');
    b.append("Topics:   ").append(topics.isEmpty() ? "-" : String.join(",", topics)).append('\n');
    b.append("Tasks:\n");
    if (s.tasks().isEmpty()) {
      b.append("  (none)\n");
    } else {
      Table t = new Table("ID", "STATE", "WORKER");
      s.tasks().forEach(task -> t.row(task.id(), task.state(), task.workerId()));
      List<String> lines = t.render().lines().toList();
      b.append("  ").append(lines.get(0)).append('\n');
      for (int i = 0; i < s.tasks().size(); i++) {
        b.append("  ").append(lines.get(i + 1)).append('\n');
        trace(b, s.tasks().get(i).trace(), traceLines, "      ");
      }
    }
    b.append("Config:\n");
    Table t = new Table("KEY", "VALUE");
    maskedConfig.forEach(t::row);
    t.render().lines().skip(1).forEach(line -> b.append("  ").append(line).append('\n'));
    return b.toString();
  }

  /** Longest root cause line shown; a driver's message may quote a whole batch of SQL. */
  static final int ROOT_CAUSE_WIDTH = 200;

  /**
   * The first {@code lines} lines of a trace, then, when the root cause (its last {@code Caused
   * by:}) is not among them, that one line: the first lines say where it failed (Connect's own
   * wrapper), the root cause says why (a refused permission, a lost connection).
   */
  private static void trace(StringBuilder b, String trace, int lines, String indent) {
    if (trace == null || trace.isBlank()) {
      return;
    }
    List<String> all = trace.lines().toList();
    all.stream().limit(lines).forEach(l -> b.append(indent).append(l.strip()).append('\n'));
    if (all.size() > lines) {
      b.append(indent).append("… ").append(all.size() - lines).append(" more lines\n");
      for (int i = all.size() - 1; i >= lines; i--) {
        String line = all.get(i).strip();
        if (line.startsWith("Caused by: ")) {
          String cause = line.substring("Caused by: ".length());
          if (cause.length() > ROOT_CAUSE_WIDTH) {
            cause = cause.substring(0, ROOT_CAUSE_WIDTH - 1) + "…";
          }
          b.append(indent).append("root cause: ").append(cause).append('\n');
          break;
        }
      }
    }
  }

  // ------------------------------------------------------------------------------ validate

  @Command(
      mixinStandardHelpOptions = true,
      name = "validate",
      description =
          "Ask the worker whether a connector file is valid (nothing is created); exits 1 on"
              + " errors, one line per refused setting.")
  static final class Validate extends Verb {
    @Parameters(paramLabel = "FILE", arity = "1..*")
    List<Path> files;

    @Option(names = "--json", description = "JSON for scripts instead of text.")
    boolean json;

    @Override
    public Integer call() {
      ConnectClient c = client();
      boolean allValid = true;
      Map<String, ConnectClient.Validation> results = new LinkedHashMap<>();
      for (Path f : files) {
        Map<String, String> config = new LinkedHashMap<>(ConnectClient.readConfig(f));
        config.putIfAbsent("name", ConnectClient.nameOf(f));
        ConnectClient.Validation v = c.validate(config);
        results.put(f.toString(), v);
        allValid &= v.valid();
        if (!json) {
          print(validation(f.toString(), v));
        }
      }
      if (json) {
        json(results);
      }
      return allValid ? 0 : 1;
    }
  }

  /** The {@code validate} text of one file. */
  static String validation(String file, ConnectClient.Validation v) {
    if (v.valid()) {
      return file + ": valid (" + v.plugin() + ")\n";
    }
    StringBuilder b =
        new StringBuilder(
            file
                + ": "
                + v.errors().size()
                + (v.errors().size() == 1 ? " error" : " errors")
                + "\n");
    for (ConnectClient.FieldError e : v.errors()) {
      for (String reason : e.errors()) {
        b.append("  ").append(e.field()).append(": ").append(reason).append('\n');
      }
    }
    return b.toString();
  }

  // --------------------------------------------------------------------------------- apply

  @Command(
      mixinStandardHelpOptions = true,
      name = "apply",
      description =
          "Create or update connectors from their files (default: connectors/*.json); harmless to"
              + " repeat. The same deploy as ./rtx up.")
  static final class Apply extends Verb {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Each named NAME.json.")
    List<Path> files = List.of();

    @Override
    public Integer call() {
      List<Path> chosen =
          files.isEmpty() ? ConnectClient.connectorFiles(parent.stack().settings().repo()) : files;
      client().apply(chosen, out()::println);
      return 0;
    }
  }

  // ------------------------------------------------------------------- pause resume stop

  /** A verb that asks the worker for a connector state and waits until the connector is in it. */
  abstract static class StateChange extends Verb {
    @Parameters(paramLabel = "NAME")
    String name;

    private final BiConsumer<ConnectClient, String> request;
    private final String target;

    StateChange(BiConsumer<ConnectClient, String> request, String target) {
      this.request = request;
      this.target = target;
    }

    @Override
    public Integer call() {
      request.accept(client(), name);
      out().println("connector " + name + " " + settle(name, target).state());
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "pause",
      description = "Pause a connector (tasks stay assigned, do nothing).")
  static final class Pause extends StateChange {
    Pause() {
      super(ConnectClient::pause, "PAUSED");
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "resume",
      description = "Resume a paused or stopped connector.")
  static final class Resume extends StateChange {
    Resume() {
      super(ConnectClient::resume, "RUNNING");
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "stop",
      description = "Stop a connector: its tasks shut down, its config kept (resume starts it).")
  static final class Stop extends StateChange {
    Stop() {
      super(ConnectClient::stop, "STOPPED");
    }
  }

  // ------------------------------------------------------------------------------- restart

  @Command(
      mixinStandardHelpOptions = true,
      name = "restart",
      description =
          "Restart a connector and its tasks; --failed: only the failed ones (of NAME, or of every"
              + " connector); --all: every connector.")
  static final class Restart extends Verb {
    @Parameters(paramLabel = "NAME", arity = "0..1")
    String name;

    @Option(names = "--failed", description = "Only failed connectors and tasks.")
    boolean failed;

    @Option(names = "--all", description = "Every connector (with --failed: every failed one).")
    boolean all;

    @Override
    public Integer call() {
      if ((name == null && !all && !failed) || (name != null && all)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "usage: ./rtx connect restart NAME | --failed [NAME] | --all");
      }
      ConnectClient c = client();
      List<String> names;
      if (name != null) {
        names = List.of(name);
      } else {
        Predicate<ConnectorState> chosen = failed ? ConnectorState::anyFailed : s -> true;
        names = c.states().stream().filter(chosen).map(ConnectorState::name).toList();
      }
      if (names.isEmpty()) {
        out().println(failed ? "nothing failed" : "no connectors");
        return 0;
      }
      for (String n : names) {
        ConnectorState after = c.restart(n, failed);
        out()
            .println("connector " + n + " restarted: " + after.state() + ", tasks " + tasks(after));
      }
      return 0;
    }
  }

  // -------------------------------------------------------------------------------- delete

  @Command(
      mixinStandardHelpOptions = true,
      name = "delete",
      description = "Delete a connector; a Debezium source's replication slot is dropped with it.")
  static final class Delete extends Verb {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      Optional<String> slot = client().delete(name);
      out().println("connector " + name + " deleted");
      if (slot.isPresent()) {
        new ReplicationSlots(parent.stack().settings()).drop(slot.get(), Duration.ofSeconds(30));
        out().println("slot      " + slot.get() + " dropped (it would hold WAL forever)");
      }
      return 0;
    }
  }

  // ------------------------------------------------------------------------------- offsets

  @Command(
      mixinStandardHelpOptions = true,
      name = "offsets",
      description =
          "A connector's committed offsets (KIP-875); `offsets reset NAME` deletes them on a"
              + " STOPPED connector.",
      subcommands = {OffsetsReset.class})
  static final class Offsets extends Verb {
    // optional to picocli, so that `offsets reset NAME` reaches the subcommand
    @Parameters(paramLabel = "NAME", arity = "0..1")
    String name;

    @Option(names = "--json", description = "The worker's JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      if (name == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "usage: ./rtx connect offsets NAME | offsets reset NAME");
      }
      JsonNode offsets = client().offsets(name);
      if (json) {
        json(offsets);
      } else {
        print(offsetTable(offsets));
      }
      return 0;
    }
  }

  /** The {@code offsets} table: a sink's per topic partition, a source's as the worker has them. */
  static String offsetTable(JsonNode offsets) {
    JsonNode list = offsets.path("offsets");
    boolean sink =
        list.size() > 0
            && list.get(0).path("partition").has("kafka_topic")
            && list.get(0).path("offset").has("kafka_offset");
    Table t = sink ? new Table("TOPIC", "PARTITION", "OFFSET") : new Table("PARTITION", "OFFSET");
    List<JsonNode> rows = new ArrayList<>();
    list.forEach(rows::add);
    if (sink) {
      rows.sort(
          java.util.Comparator.<JsonNode, String>comparing(
                  n -> n.path("partition").path("kafka_topic").asText())
              .thenComparingInt(n -> n.path("partition").path("kafka_partition").asInt()));
      rows.forEach(
          n ->
              t.row(
                  n.path("partition").path("kafka_topic").asText(),
                  n.path("partition").path("kafka_partition").asInt(),
                  n.path("offset").path("kafka_offset").asLong()));
    } else {
      rows.forEach(n -> t.row(n.path("partition").toString(), n.path("offset").toString()));
    }
    return rows.isEmpty() ? "no committed offsets\n" : t.render();
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "reset",
      description =
          "Delete a STOPPED connector's offsets: a sink reads its topics again from the start, a"
              + " source starts over (KIP-875).")
  static final class OffsetsReset implements Callable<Integer> {
    @ParentCommand Offsets offsets;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      offsets.parent.client().resetOffsets(name);
      spec.commandLine()
          .getOut()
          .println("connector " + name + ": offsets reset (resume it to start over)");
      return 0;
    }
  }

  // --------------------------------------------------------------------------------- watch

  @Command(
      mixinStandardHelpOptions = true,
      name = "watch",
      description =
          "The ls table, refreshed; --auto-restart restarts failed connectors and tasks with"
              + " exponential back-off, logging each restart.")
  static final class Watch extends Verb {
    private int intervalSeconds;
    private int backoffSeconds;
    private int maxBackoffSeconds;
    private long count;

    @Option(
        names = "--interval",
        defaultValue = "2",
        description = "Seconds between refreshes (default: ${DEFAULT-VALUE}).")
    void interval(int value) {
      intervalSeconds = Flags.atLeast(spec, "--interval", value, 1);
    }

    @Option(
        names = "--auto-restart",
        description = "Restart failed connectors and tasks, waiting longer after each restart.")
    boolean autoRestart;

    @Option(
        names = "--backoff",
        defaultValue = "5",
        description =
            "Seconds before a second restart of the same task; doubles each time (default:"
                + " ${DEFAULT-VALUE}).")
    void backoff(int value) {
      backoffSeconds = Flags.atLeast(spec, "--backoff", value, 1);
    }

    @Option(
        names = "--max-backoff",
        defaultValue = "300",
        description =
            "Longest wait between restarts, seconds, at least --backoff (default:"
                + " ${DEFAULT-VALUE}).")
    void maxBackoff(int value) {
      maxBackoffSeconds = Flags.atLeast(spec, "--max-backoff", value, 1);
    }

    @Option(
        names = "--count",
        defaultValue = "0",
        description = "Stop after this many refreshes; 0: until Ctrl-C (default).")
    void count(long value) {
      count = Flags.atLeast(spec, "--count", value, 0);
    }

    @Override
    public Integer call() {
      if (maxBackoffSeconds < backoffSeconds) {
        throw Flags.bad(
            spec,
            "--max-backoff must be at least --backoff ("
                + backoffSeconds
                + "), got "
                + maxBackoffSeconds);
      }
      ConnectClient c = client();
      RestartBackoff backoff =
          new RestartBackoff(
              Duration.ofSeconds(backoffSeconds), Duration.ofSeconds(maxBackoffSeconds));
      boolean terminal = System.console() != null;
      for (long n = 0; count == 0 || n < count; n++) {
        if (n > 0) {
          sleep(Duration.ofSeconds(intervalSeconds));
        }
        List<ConnectorState> states = c.states();
        Map<String, List<String>> topics = new LinkedHashMap<>();
        states.forEach(s -> topics.put(s.name(), topicsOf(c, s.name())));
        if (terminal) {
          print("\033[H\033[2J"); // clear the screen, as watch(1) does
        }
        out()
            .println(
                "connectors on "
                    + c.baseUrl()
                    + " at "
                    + LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
        print(table(states, topics));
        if (autoRestart) {
          autoRestart(c, states, backoff, Instant.now()).forEach(out()::println);
        }
        out().flush();
      }
      return 0;
    }
  }

  /**
   * Restarts what failed and is due by the back-off; returns one log line per restart (also
   * logged). A failed connector is restarted with its failed tasks; a failed task alone.
   */
  static List<String> autoRestart(
      ConnectClient c, List<ConnectorState> states, RestartBackoff backoff, Instant now) {
    List<String> lines = new ArrayList<>();
    for (ConnectorState s : states) {
      String key = s.name();
      if (s.failed()) {
        if (backoff.due(key, now)) {
          c.restart(s.name(), true);
          lines.add(restarted(key, backoff.restarted(key, now), backoff, now));
        }
        continue;
      }
      backoff.running(key, now);
      for (TaskState t : s.tasks()) {
        String taskKey = s.name() + "/" + t.id();
        if (t.failed()) {
          if (backoff.due(taskKey, now)) {
            c.restartTask(s.name(), t.id());
            lines.add(restarted(taskKey, backoff.restarted(taskKey, now), backoff, now));
          }
        } else if (t.state().equals("RUNNING")) {
          backoff.running(taskKey, now);
        }
      }
    }
    lines.forEach(log::info);
    return lines;
  }

  private static String restarted(String key, int attempt, RestartBackoff backoff, Instant now) {
    return String.format(
        "%s restarted %s (restart %d in a row; the next no sooner than in %d s)",
        LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
        key.contains("/") ? key.replace("/", " task ") : key,
        attempt,
        Duration.between(now, backoff.notBefore(key)).toSeconds());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted");
    }
  }
}
