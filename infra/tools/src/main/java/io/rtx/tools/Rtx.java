package io.rtx.tools;

import io.rtx.common.Settings;
import io.rtx.launcher.RedisUser;
import io.rtx.launcher.ReplicationSlots;
import io.rtx.launcher.Secrets;
import io.rtx.launcher.Stack;
import io.rtx.launcher.StackException;
import io.rtx.launcher.StackSettings;
import io.rtx.ledger.Refused;
import io.rtx.schemas.Component;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./rtx}: the platform's one entry point. The bash script installs native packages, builds,
 * and runs the tests ({@link #BASH_VERBS}); every other verb is here, on the launcher ({@link
 * Stack}).
 */
@Command(
    name = "./rtx",
    mixinStandardHelpOptions = false,
    synopsisSubcommandLabel = "COMMAND",
    description = "rtx-streams: a Kafka Streams platform for a trading engine's data.",
    footer = {
      "",
      "Every port and path is an environment variable; see README.md, \"Settings of the local stack\"."
    },
    subcommands = {
      Rtx.Demo.class,
      Rtx.Up.class,
      Rtx.Status.class,
      Rtx.Down.class,
      Rtx.Stop.class,
      Rtx.Logs.class,
      Rtx.Topics.class,
      Rtx.Psql.class,
      Rtx.RedisCli.class,
      ConnectCommand.class,
      LagCommand.class,
      AuditCommand.class,
      LedgerCommand.class,
      SeedCommand.class,
      Rtx.Simulate.class,
      Rtx.Bench.class,
      Rtx.Test.class,
      Rtx.Build.class,
      Rtx.Install.class,
      Rtx.Help.class
    })
public final class Rtx implements Runnable {

  /** Verbs the bash script handles itself, before any Java is built. */
  public static final List<String> BASH_VERBS = List.of("test", "build", "install");

  private static final Path REPO =
      Path.of(System.getProperty("rtx.repo", System.getProperty("user.dir"))).toAbsolutePath();

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Rtx()).setUsageHelpWidth(110);
    cli.getSubcommands().values().stream()
        // pass-through commands leave --help to the command they run
        .filter(
            sub ->
                !(sub.getCommand() instanceof BashVerb || sub.getCommand() instanceof PassThrough))
        .forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
    // psql's own flags (-c, -At, -h …) go to psql
    cli.getSubcommands().get("psql").setUnmatchedOptionsArePositionalParams(true);
    cli.getSubcommands().get("redis-cli").setUnmatchedOptionsArePositionalParams(true);
    return handlingErrors(cli);
  }

  /**
   * {@code cli} answering a failure people can fix (a stack that is down, a refused setting, an
   * unknown connector…) with one line on stderr and exit 1, not a stack trace.
   */
  static CommandLine handlingErrors(CommandLine cli) {
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof StackException
              || e instanceof IllegalArgumentException
              || e instanceof Refused) {
            cmd.getErr().println("rtx: " + e.getMessage());
            return 1;
          }
          if (e instanceof SQLException sql) {
            // 08: the connection itself failed, most often a stack that is not up
            String hint =
                sql.getSQLState() != null && sql.getSQLState().startsWith("08")
                    ? " (is the database up? ./rtx up postgres)"
                    : "";
            cmd.getErr().println("rtx: database: " + sql.getMessage() + hint);
            return 1;
          }
          throw e;
        });
    return cli;
  }

  @Override
  public void run() {
    commandLine().usage(System.out);
  }

  static Stack stack() {
    return stack(System.getenv());
  }

  /** The stack {@code env} names ({@code RTX_HOME}, ports). */
  static Stack stack(Map<String, String> env) {
    return new Stack(StackSettings.fromEnvironment(REPO, env));
  }

  /** Settings of the tools, pointed at the local stack unless the environment says otherwise. */
  static Settings toolSettings(Stack stack) {
    return toolSettings(stack, System.getenv());
  }

  /** As {@link #toolSettings(Stack)}, with {@code given} in place of the process environment. */
  static Settings toolSettings(Stack stack, Map<String, String> given) {
    Map<String, String> env = new HashMap<>(given);
    if (!env.containsKey("RTX_KAFKA_BOOTSTRAP_SERVERS")) {
      // the local cluster, and the replication its size gives (RTX_BROKERS)
      env.put("RTX_KAFKA_BOOTSTRAP_SERVERS", stack.settings().bootstrapServers());
      env.putIfAbsent(
          "RTX_TOPICS_REPLICATION_FACTOR", Integer.toString(stack.settings().replicationFactor()));
    }
    env.putIfAbsent("RTX_REGISTRY_URL", stack.settings().registryUrl());
    return Settings.load("tools", new String[0], env);
  }

  private static void print(String line) {
    System.out.println(line);
  }

  /** Component names as {@code ./rtx} writes them: {@code postgres redis …}. */
  static final class ComponentNames extends java.util.ArrayList<String> {
    ComponentNames() {
      super(Arrays.stream(Component.values()).map(Component::id).toList());
    }
  }

  static final class ComponentConverter implements CommandLine.ITypeConverter<Component> {
    @Override
    public Component convert(String value) {
      return Component.byId(value)
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      "unknown component '"
                          + value
                          + "'; components: "
                          + String.join(" ", new ComponentNames())));
    }

    /**
     * Each of {@code ids} as a component, for a {@code COMPONENT...} list. picocli tries the
     * converter of a list's optional values only to see whether an argument belongs to the list,
     * and calls a refused one an "unmatched argument"; a setter taking the ids names it instead.
     */
    static List<Component> convertAll(CommandSpec spec, List<String> ids) {
      List<Component> components = new ArrayList<>();
      for (String id : ids) {
        try {
          components.add(new ComponentConverter().convert(id));
        } catch (CommandLine.TypeConversionException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
      }
      return components;
    }
  }

  @Command(
      name = "up",
      description =
          "Start the stack (or some components and what they need), apply the topic catalog, deploy"
              + " the connectors; harmless to repeat.")
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;

    private List<Component> components = List.of();

    @Parameters(
        arity = "0..*",
        paramLabel = "COMPONENT",
        description = "Some of: ${COMPLETION-CANDIDATES} (default: all).",
        completionCandidates = ComponentNames.class)
    void components(List<String> ids) {
      components = ComponentConverter.convertAll(spec, ids);
    }

    @Option(names = "--no-topics", description = "Do not apply the topic catalog.")
    boolean noTopics;

    @Option(names = "--no-connectors", description = "Do not deploy connectors/*.json.")
    boolean noConnectors;

    @Override
    public Integer call() {
      long start = System.nanoTime();
      Stack stack = stack();
      stack.up(
          components.isEmpty() ? EnumSet.allOf(Component.class) : components,
          new Stack.UpOptions(!noTopics, !noConnectors),
          Rtx::print);
      print(
          String.format(
              "ready in %ds; data and logs in %s",
              (System.nanoTime() - start) / 1_000_000_000L, stack.settings().home()));
      return 0;
    }
  }

  @Command(name = "status", description = "One line per component; exits 1 if any is down.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    private List<Component> components = List.of();

    @Parameters(arity = "0..*", paramLabel = "COMPONENT")
    void components(List<String> ids) {
      components = ComponentConverter.convertAll(spec, ids);
    }

    @Override
    public Integer call() {
      Stack stack = stack();
      Map<Component, Boolean> status =
          stack.status(components.isEmpty() ? EnumSet.allOf(Component.class) : components);
      status.forEach(
          (c, up) ->
              print(
                  String.format(
                      Stack.NAME_COLUMN + " %-5s %s",
                      c.id(),
                      up ? "up" : "DOWN",
                      stack.settings().endpoint(c))));
      boolean walOk = !Boolean.TRUE.equals(status.get(Component.POSTGRES)) || slots(stack);
      return status.containsValue(false) || !walOk ? 1 : 0;
    }

    /** One line per replication slot; false when one holds back more WAL than it should. */
    private static boolean slots(Stack stack) {
      long warn = stack.settings().slotWalWarnBytes();
      boolean ok = true;
      for (ReplicationSlots.Slot slot : new ReplicationSlots(stack.settings()).list()) {
        boolean over = slot.retainedBytes() > warn;
        ok &= !over;
        print(
            String.format(
                Stack.NAME_COLUMN + " %-5s %s (%s), retains %s of WAL%s",
                "slot",
                slot.active() ? "up" : "IDLE",
                slot.name(),
                slot.plugin(),
                ReplicationSlots.human(slot.retainedBytes()),
                over
                    ? " — WARNING: over "
                        + ReplicationSlots.human(warn)
                        + " (RTX_SLOT_WAL_WARN); is its connector running?"
                    : ""));
      }
      return ok;
    }
  }

  @Command(
      name = "down",
      description = "Stop everything; --wipe also deletes the data under $RTX_HOME.")
  static final class Down implements Callable<Integer> {
    @Option(names = "--wipe", description = "Delete the stack's data too.")
    boolean wipe;

    @Override
    public Integer call() {
      stack().down(wipe, Rtx::print);
      return 0;
    }
  }

  @Command(name = "stop", description = "Stop some components (data kept); `up` starts them again.")
  static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;

    private List<Component> components;

    @Parameters(arity = "1..*", paramLabel = "COMPONENT")
    void components(List<String> ids) {
      components = ComponentConverter.convertAll(spec, ids);
    }

    @Override
    public Integer call() {
      Stack stack = stack();
      components.forEach(stack::stop);
      return 0;
    }
  }

  @Command(name = "logs", description = "Follow a component's log.")
  static final class Logs implements Callable<Integer> {
    @Parameters(paramLabel = "COMPONENT", converter = ComponentConverter.class)
    Component component;

    @Override
    public Integer call() throws Exception {
      Path log = stack().settings().log(component.id());
      if (!Files.exists(log)) {
        throw new StackException("no log yet: " + log);
      }
      return new ProcessBuilder("tail", "-n", "100", "-F", log.toString())
          .inheritIO()
          .start()
          .waitFor();
    }
  }

  @Command(
      name = "topics",
      description =
          "Apply the topic catalog to $RTX_KAFKA_BOOTSTRAP_SERVERS (default: the local broker) and"
              + " register its value schemas at $RTX_REGISTRY_URL.")
  static final class Topics implements Callable<Integer> {
    @Override
    public Integer call() {
      Settings settings = toolSettings(stack());
      io.rtx.schemas.TopicCatalog.applyAll(
          settings.withPrefix("kafka."),
          (short) settings.getInt("topics.replication.factor"),
          Rtx::print);
      io.rtx.schemas.SchemaCatalog.registerAll(settings.get("registry.url"), Rtx::print);
      return 0;
    }
  }

  @Command(
      name = "psql",
      description =
          "psql on the local database as the platform's role or another (--role rtx_readonly).")
  static final class Psql implements Callable<Integer>, PassThrough {
    @Spec CommandSpec spec;

    /** Null: the owner. */
    private Secrets.Role role;

    @Option(
        names = "--role",
        defaultValue = "owner",
        description =
            "owner (default), or one of: rtx_cdc rtx_sink rtx_backoffice rtx_trader rtx_readonly.")
    void role(String name) {
      if (name.equals("owner")) {
        role = null;
        return;
      }
      role =
          oneOf(
              spec, "--role must be owner or", Secrets.Role.values(), Secrets.Role::roleName, name);
    }

    @Parameters(
        arity = "0..*",
        paramLabel = "PSQL-ARG",
        description = "Passed to psql, e.g. -c 'SELECT 1'.")
    List<String> psqlArgs = List.of();

    @Override
    public Integer call() throws Exception {
      StackSettings s = stack().settings();
      String user = role == null ? s.pgUser() : role.roleName();
      String password = role == null ? s.pgPassword() : s.secrets().password(role);
      List<String> cmd =
          new java.util.ArrayList<>(
              List.of(
                  "psql",
                  "-h",
                  StackSettings.HOST,
                  "-p",
                  Integer.toString(s.port(Component.POSTGRES)),
                  "-U",
                  user,
                  s.pgDatabase()));
      cmd.addAll(psqlArgs);
      ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
      pb.environment().put("PGPASSWORD", password); // the environment, never the command line
      return pb.start().waitFor();
    }
  }

  /** The one of {@code values} named {@code given}, or a usage error that lists their names. */
  static <T> T oneOf(
      CommandSpec spec, String must, T[] values, Function<T, String> name, String given) {
    return Arrays.stream(values)
        .filter(v -> name.apply(v).equals(given))
        .findFirst()
        .orElseThrow(
            () ->
                Flags.bad(
                    spec,
                    must
                        + " one of: "
                        + Arrays.stream(values).map(name).collect(Collectors.joining(" "))
                        + "; got '"
                        + given
                        + "'"));
  }

  @Command(
      name = "redis-cli",
      description =
          "redis-cli on the local Redis as a user of the stack: rtx-reader (default, read-only) or"
              + " another (--user rtx-admin).")
  static final class RedisCli implements Callable<Integer>, PassThrough {
    @Spec CommandSpec spec;

    private RedisUser user = RedisUser.READER;

    @Option(
        names = "--user",
        defaultValue = "rtx-reader",
        description =
            "rtx-reader (default), or one of: rtx-quotes rtx-orders rtx-exporter rtx-admin.")
    void user(String name) {
      user = oneOf(spec, "--user must be", RedisUser.values(), RedisUser::userName, name);
    }

    @Parameters(
        arity = "0..*",
        paramLabel = "REDIS-CLI-ARG",
        description = "Passed to redis-cli, e.g. hgetall quote:EURUSD.")
    List<String> redisArgs = List.of();

    @Override
    public Integer call() throws Exception {
      StackSettings s = stack().settings();
      List<String> cmd =
          new java.util.ArrayList<>(
              List.of(
                  "redis-cli",
                  "-h",
                  StackSettings.HOST,
                  "-p",
                  Integer.toString(s.port(Component.REDIS)),
                  "--user",
                  user.userName()));
      cmd.addAll(redisArgs);
      ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
      // the environment, never the command line
      pb.environment().put("REDISCLI_AUTH", s.secrets().password(user));
      return pb.start().waitFor();
    }
  }

  @Command(
      name = "simulate",
      description =
          "Simulate a market feed or an order flow: `simulate ticks --help`, `simulate orders"
              + " --help` for the flags.",
      subcommands = {SimulateTicks.class, SimulateOrders.class})
  static final class Simulate implements Runnable {
    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "usage: ./rtx simulate ticks [--symbols ...] [--rate N] ... | ./rtx simulate orders"
              + " [--accounts N] [--rate R] ...");
    }
  }

  @Command(name = "ticks", description = "Publish simulated ticks to market.ticks.")
  static final class SimulateTicks implements Callable<Integer>, PassThrough {
    @CommandLine.Unmatched List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
      return handlingErrors(new CommandLine(new SimulateCommand(toolSettings(stack()))))
          .execute(args.toArray(String[]::new));
    }
  }

  @Command(
      name = "orders",
      description = "Send a simulated order flow to the orders app's gateway (POST /orders).")
  static final class SimulateOrders implements Callable<Integer>, PassThrough {
    @CommandLine.Unmatched List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
      Stack stack = stack();
      Settings settings = toolSettings(stack);
      return handlingErrors(
              new CommandLine(
                  new SimulateOrdersCommand(
                      stack.settings().httpUrl(Component.ORDERS),
                      () ->
                          new LatestQuotes(
                              settings.withPrefix("kafka."), settings.get("registry.url")))))
          .execute(args.toArray(String[]::new));
    }
  }

  @Command(
      name = "demo",
      description =
          "`up`, then a simulated market with a live summary until Ctrl-C (the platform keeps running).")
  static final class Demo implements Callable<Integer>, PassThrough {
    @CommandLine.Unmatched List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
      Stack stack = stack();
      // its flags and --help are the demo's, parsed before the platform starts
      return handlingErrors(
              new CommandLine(
                  new DemoCommand(toolSettings(stack), stack.settings(), () -> platform(stack))))
          .execute(args.toArray(String[]::new));
    }

    /** {@code up}, and the orders app when it starts: the demo runs without it (it says so). */
    private static void platform(Stack stack) {
      EnumSet<Component> platform = EnumSet.allOf(Component.class);
      platform.remove(Component.ORDERS);
      stack.up(platform, Stack.UpOptions.ALL, Rtx::print);
      // only the orders app's own line is news here
      try {
        stack.up(
            List.of(Component.ORDERS),
            Stack.UpOptions.PROCESSES_ONLY,
            line -> {
              if (line.startsWith(Component.ORDERS.id() + " ")) {
                print(line);
              }
            });
      } catch (StackException e) {
        print(
            String.format(Stack.NAME_COLUMN + " DOWN  %s", Component.ORDERS.id(), e.getMessage()));
      }
    }
  }

  @Command(name = "bench", description = "Benchmark on a private stack and print a table (--help).")
  static final class Bench implements Callable<Integer>, PassThrough {
    @CommandLine.Unmatched List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
      return handlingErrors(new CommandLine(new BenchCommand()))
          .execute(args.toArray(String[]::new));
    }
  }

  /** A verb whose arguments, --help included, belong to the command it runs. */
  interface PassThrough {}

  /** The verbs the bash script runs itself: listed here so help shows every verb. */
  abstract static class BashVerb implements Callable<Integer> {
    @Override
    public Integer call() {
      System.err.println("rtx: run this through ./rtx");
      return 2;
    }
  }

  @Command(
      name = "test",
      description =
          "Install what the tests need, then every unit and integration test (mvn verify) on one stack.")
  static final class Test extends BashVerb {}

  @Command(name = "build", description = "Build the project (mvn package, no tests).")
  static final class Build extends BashVerb {}

  @Command(
      name = "install",
      description =
          "Install the native dependencies (PostgreSQL + TimescaleDB, Redis) on Debian 12/13.")
  static final class Install extends BashVerb {}

  @Command(name = "help", description = "This list.")
  static final class Help implements Runnable {
    @Override
    public void run() {
      commandLine().usage(System.out);
    }
  }
}
