package io.rtx.tools;

import io.rtx.common.Json;
import io.rtx.common.Settings;
import io.rtx.launcher.ConnectClient;
import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.Stack;
import io.rtx.launcher.StackException;
import io.rtx.ops.LagMonitor;
import io.rtx.ops.LagReader;
import io.rtx.ops.LagReport;
import io.rtx.ops.LagReport.GroupLag;
import io.rtx.ops.LagReport.PartitionLag;
import io.rtx.ops.PlatformGroups;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rtx lag}: the lag of every consumer group of the platform, per partition, in records and
 * seconds, with each group's status; {@code --max-seconds} makes it a check for scripts and CI.
 */
@Command(
    name = "lag",
    mixinStandardHelpOptions = true,
    description =
        "Lag of the platform's consumer groups (Streams apps, sink connectors) per partition, in"
            + " records and seconds, with a status per group (OK, WARNING, STALLED, STOPPED,"
            + " FAILED).")
final class LagCommand implements Callable<Integer> {

  @Option(names = "--watch", description = "Refresh every --interval until Ctrl-C.")
  boolean watch;

  @Spec CommandSpec spec;

  private Duration interval;
  private int samples;
  private Double maxSeconds;

  @Option(
      names = "--interval",
      defaultValue = "1s",
      description = "Time between samples, at least 100ms (default ${DEFAULT-VALUE}).")
  void interval(String value) {
    Duration d = Flags.positiveDuration(spec, "--interval", value);
    if (d.toMillis() < 100) {
      throw Flags.bad(spec, "--interval must be at least 100ms, got " + value);
    }
    interval = d;
  }

  @Option(
      names = "--samples",
      defaultValue = "3",
      description =
          "Samples taken before the first report, --interval apart: the status and the estimate"
              + " need a window; 1..100 (default ${DEFAULT-VALUE}).")
  void samples(int value) {
    samples = Flags.within(spec, "--samples", value, 1, 100);
  }

  @Option(
      names = "--max-seconds",
      paramLabel = "N",
      description = "Exit 1 when any group is more than N seconds behind (else 0).")
  void maxSeconds(double value) {
    maxSeconds = Flags.notNegative(spec, "--max-seconds", value);
  }

  @Option(
      names = "--json",
      description = "The report as JSON (as GET /api/lag of the ops service).")
  boolean json;

  @Option(names = "--group", paramLabel = "G", description = "Only this group.")
  String group;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  LagCommand() {
    this(System.out, System.err, System.getenv());
  }

  /** {@code env} in place of the process environment: which stack, cluster and worker. */
  LagCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    Stack stack = Rtx.stack(env);
    Settings settings = Rtx.toolSettings(stack, env);
    String connectUrl = env.getOrDefault("RTX_CONNECT_URL", stack.settings().connectUrl());
    ConnectClient connect = new ConnectClient(connectUrl);
    // the window spans the samples, so the status sees all of them
    LagMonitor monitor = new LagMonitor(interval.toMillis() * (samples + 1));
    try (LagReader reader =
        new LagReader(settings.withPrefix("kafka."), System::currentTimeMillis)) {
      LagReport report = null;
      for (int i = 0; watch || i < samples; i++) {
        if (i > 0) {
          Thread.sleep(interval.toMillis());
        }
        Optional<List<ConnectorState>> connectors = states(connect);
        List<String> groups =
            group != null ? List.of(group) : PlatformGroups.of(reader.admin(), connectors);
        report =
            monitor
                .observe(reader.read(groups, List.of()))
                .withConnectors(connectors.orElse(List.of()));
        if (watch && i >= samples - 1) {
          print(report);
        }
      }
      if (!watch) {
        print(report);
      }
      if (maxSeconds != null) {
        BigDecimal limit = BigDecimal.valueOf(maxSeconds);
        List<GroupLag> over =
            report.groups().stream().filter(g -> g.maxLagSeconds().compareTo(limit) > 0).toList();
        over.forEach(
            g ->
                err.printf(
                    "rtx: %s is %s s behind (over %s s)%n",
                    g.group(),
                    g.maxLagSeconds().toPlainString(),
                    limit.stripTrailingZeros().toPlainString()));
        return over.isEmpty() ? 0 : 1;
      }
      return 0;
    }
  }

  /** The connectors' states, for the FAILED rule; none when the worker cannot be reached. */
  /** The worker's connectors, read once per sample; empty when it cannot be reached. */
  private static Optional<List<ConnectorState>> states(ConnectClient connect) {
    try {
      return Optional.of(connect.states());
    } catch (StackException e) {
      return Optional.empty();
    }
  }

  private void print(LagReport report) {
    if (json) {
      out.println(Json.write(report));
      return;
    }
    if (watch) {
      out.println("── " + report.at() + " ──");
    }
    out.println(table(report));
  }

  /** The report as a table: one line per group, one per partition below it. */
  static String table(LagReport report) {
    StringBuilder b = new StringBuilder();
    String row = "%-40s %-8s %7s %14s %14s %12s %9s %9s%n";
    b.append(
        String.format(
            row,
            "GROUP / PARTITION",
            "STATUS",
            "MEMBERS",
            "COMMITTED",
            "END",
            "LAG",
            "SECONDS",
            "ESTIMATE"));
    for (GroupLag g : report.groups()) {
      b.append(
          String.format(
              row,
              g.group(),
              g.status(),
              g.members(),
              "",
              "",
              String.format("%,d", g.lag()),
              g.maxLagSeconds().toPlainString(),
              ""));
      for (PartitionLag p : g.partitions()) {
        b.append(
            String.format(
                row,
                "  " + p.topic() + "-" + p.partition(),
                "",
                "",
                String.format("%,d", p.committedOffset()),
                String.format("%,d", p.endOffset()),
                String.format("%,d", p.lag()),
                p.lagSeconds() == null ? "?" : p.lagSeconds().toPlainString(),
                p.estimatedLagSeconds() == null ? "-" : p.estimatedLagSeconds().toPlainString()));
      }
    }
    return b.toString().stripTrailing();
  }
}
