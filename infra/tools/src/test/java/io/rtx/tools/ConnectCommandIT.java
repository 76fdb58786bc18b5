package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtx.launcher.ConnectClient;
import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.ReplicationSlots;
import io.rtx.launcher.StackException;
import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./rtx connect} (and {@code ./rtx lag}, the ops service) on the real worker. A ticks sink
 * task fails for a real cause (its role loses INSERT on market.ticks): {@code ls}, {@code
 * describe}, {@code lag} and {@code /api/lag} say FAILED, and {@code restart --failed} brings it
 * back once the grant is back, landing every tick. The other verbs act on connectors of this test
 * alone (a sink on a topic of its own, a Debezium source with a slot of its own), so the shared
 * stack's connectors are only ever touched by the first scenario, which restores them.
 */
@UsesLocalStack({
  Component.POSTGRES,
  Component.KAFKA,
  Component.REGISTRY,
  Component.CONNECT,
  Component.OPS
})
class ConnectCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TICKS_SINK = "rtx-ticks-sink";
  private static final String TICKS_GROUP = Names.sinkGroup(TICKS_SINK);

  /** This test's connectors and data: nothing else on the shared stack uses these names. */
  private static final String OWN_SINK = "it-connect-sink";

  private static final String OWN_SOURCE = "it-connect-source";
  private static final String OWN_SLOT = "it_connect_source";
  private static final String FAIL_VENUE = "CXFAIL";
  private static final String OWN_VENUE = "CXOWN";

  private final LocalStack stack;

  /** The own sink's topic: one per run, deleted after it (a run starts from offset 0). */
  private final String ownTopic = "it.connect.ticks." + System.currentTimeMillis();

  ConnectCommandIT(LocalStack stack) {
    this.stack = stack;
  }

  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out:\n" + out + "\n--- err:\n" + err;
    }
  }

  /** {@code ./rtx connect ARGS} in-process, on the stack's worker or on {@code url}. */
  private Run connectAt(String url, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cli = Rtx.handlingErrors(new CommandLine(new ConnectCommand(stack.stack(), url)));
    cli.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
    int exit = cli.execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run connect(String... args) {
    return connectAt(null, args);
  }

  /** {@code ./rtx lag ARGS} in-process, on the stack. */
  private Run lag(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env =
        Map.of(
            "RTX_HOME", stack.settings().home().toString(),
            "RTX_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
            "RTX_CONNECT_URL", stack.connectUrl());
    int exit =
        Rtx.handlingErrors(
                new CommandLine(
                    new LagCommand(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env)))
            .execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Connection owner() throws Exception {
    return DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
  }

  private long scalar(String sql) throws Exception {
    try (Connection db = owner();
        Statement s = db.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private void execute(String sql) throws Exception {
    try (Connection db = owner();
        Statement s = db.createStatement()) {
      s.execute(sql);
    }
  }

  private ConnectClient client() {
    return stack.stack().connect();
  }

  private boolean allRunning(String name) {
    ConnectorState s = client().state(name);
    return s.state().equals("RUNNING")
        && !s.tasks().isEmpty()
        && s.tasks().stream().allMatch(t -> t.state().equals("RUNNING"));
  }

  private void awaitAllRunning(String name, Duration atMost) {
    try {
      await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> allRunning(name));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(name + " is not running: " + client().state(name), e);
    }
  }

  // ------------------------------------------------------------------ a task fails, comes back

  @Test
  void aTaskFailingForARealCauseReadsFailedEverywhereAndRestartFailedBringsItBack()
      throws Exception {
    stack.stack().applyTopics(line -> {});
    stack.deployConnectors();
    awaitAllRunning(TICKS_SINK, Duration.ofMinutes(2));
    execute("DELETE FROM market.ticks WHERE venue = '" + FAIL_VENUE + "'");
    boolean revoked = false;
    try {
      // the sink's role may no longer write the table: its next batch fails for good
      execute("REVOKE INSERT, UPDATE ON market.ticks FROM rtx_sink");
      revoked = true;
      // one symbol: one key, one partition, so one task meets the refusal first
      Properties producer = new Properties();
      producer.put("bootstrap.servers", stack.bootstrapServers());
      producer.put("registry.url", stack.registryUrl());
      producer.put("acks", "all");
      SimulateCommand.Report sent =
          SimulateCommand.run(
              SimulateCommand.Options.of(
                      List.of(
                          new MarketGenerator(
                              Instrument.parse("CXFAILUSD"), 11, 0, 0, FAIL_VENUE, 1)),
                      producer)
                  .upTo(300)
                  .quietly());
      assertThat(sent.sent()).isEqualTo(300);
      // A failed task's consumer leaves the group, so its partition moves to the other task,
      // which meets the same refusal: wait for every task to fail, so that the restart below
      // finds all of them failed rather than racing the last one.
      try {
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  ConnectorState s = client().state(TICKS_SINK);
                  return s.tasksFailed() > 0 && s.tasksFailed() == s.tasks().size();
                });
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("not every task failed: " + client().state(TICKS_SINK), e);
      }
      ConnectorState failed = client().state(TICKS_SINK);

      // ls: the failed task is counted, FAILED first after the running ones
      Run ls = connect("ls");
      assertThat(ls.exit()).as(ls.toString()).isZero();
      Matcher line =
          Pattern.compile(
                  "(?m)^"
                      + TICKS_SINK
                      + " +sink +RUNNING +(\\d+)/(\\d+) RUNNING, (\\d+)"
                      + " FAILED +market\\.ticks$")
              .matcher(ls.out());
      assertThat(line.find()).as(ls.toString()).isTrue();
      assertThat(Integer.parseInt(line.group(3))).isPositive();
      assertThat(Integer.parseInt(line.group(2))).isEqualTo(failed.tasks().size());
      Run lsJson = connect("ls", "--json");
      JsonNode mine = null;
      for (JsonNode c : JSON.readTree(lsJson.out())) {
        if (c.path("name").asText().equals(TICKS_SINK)) {
          mine = c;
        }
      }
      assertThat(mine).as(lsJson.out()).isNotNull();
      assertThat(mine.path("tasksFailed").asLong()).isPositive();

      // describe: the first lines of the failure, the cause among them, and no secret shown
      Run describe = connect("describe", TICKS_SINK, "--trace-lines", "12");
      assertThat(describe.exit()).as(describe.toString()).isZero();
      assertThat(describe.out())
          .contains("Name:     " + TICKS_SINK)
          .containsPattern("(?m)^  \\d+ +FAILED ")
          .as(describe.out())
          .containsPattern("(?m)^      … \\d+ more lines$")
          .containsPattern(
              "(?m)^      root cause: org\\.postgresql\\.util\\.PSQLException: ERROR: permission"
                  + " denied for table ticks$")
          .containsPattern("(?m)^  connection\\.password +\\*{6}$")
          .doesNotContain("RTX_SINK_JDBC_PASSWORD");

      // lag: the sink's group reads FAILED, in the table, in JSON and in the ops service
      Run table = lag("--group", TICKS_GROUP, "--samples", "1");
      assertThat(table.exit()).as(table.toString()).isZero();
      assertThat(table.out()).containsPattern("(?m)^" + TICKS_GROUP + " +FAILED ");
      Run json = lag("--samples", "1", "--json");
      assertThat(json.exit()).as(json.toString()).isZero();
      assertThat(groupStatus(JSON.readTree(json.out()), TICKS_GROUP)).isEqualTo("FAILED");
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> "FAILED".equals(groupStatus(ops("/api/lag"), TICKS_GROUP)));
      assertThat(opsText("/metrics"))
          .contains(
              "rtx_consumergroup_status{cluster_name=\"local\",group=\""
                  + TICKS_GROUP
                  + "\",status=\"FAILED\"} 1.0");

      // the cause goes away; restart --failed brings the tasks back and every tick lands
      execute("GRANT INSERT, UPDATE ON market.ticks TO rtx_sink");
      revoked = false;
      Run restart = connect("restart", "--failed");
      assertThat(restart.exit()).as(restart.toString()).isZero();
      assertThat(restart.out()).contains("connector " + TICKS_SINK + " restarted: ");
      awaitAllRunning(TICKS_SINK, Duration.ofMinutes(2));
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  scalar("SELECT count(*) FROM market.ticks WHERE venue = '" + FAIL_VENUE + "'")
                      >= sent.sent());
      assertThat(
              scalar(
                  "SELECT count(*) FROM market.ticks WHERE venue = '"
                      + FAIL_VENUE
                      + "' AND symbol = 'CXFAILUSD'"))
          .isEqualTo(sent.sent());
      Run after = lag("--group", TICKS_GROUP, "--samples", "1");
      assertThat(after.out()).doesNotContainPattern("(?m)^" + TICKS_GROUP + " +FAILED ");
      assertThat(connect("ls").out()).doesNotContainPattern("(?m)^" + TICKS_SINK + " .*FAILED");
    } finally {
      if (revoked) {
        execute("GRANT INSERT, UPDATE ON market.ticks TO rtx_sink");
      }
      if (client().state(TICKS_SINK).anyFailed()) {
        client().restart(TICKS_SINK, true);
      }
    }
  }

  private static String groupStatus(JsonNode report, String group) {
    for (JsonNode g : report.path("groups")) {
      if (g.path("group").asText().equals(group)) {
        return g.path("status").asText();
      }
    }
    return "absent";
  }

  private String opsText(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.settings().httpUrl(Component.OPS) + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return r.body();
  }

  private JsonNode ops(String path) throws Exception {
    return JSON.readTree(opsText(path));
  }

  // ------------------------------------------------------------------------ the other verbs

  @Test
  void validateApplyPauseResumeStopOffsetsResetAndDeleteOnConnectorsOfOurOwn(@TempDir Path dir)
      throws Exception {
    Path sinkFile = dir.resolve(OWN_SINK + ".json");
    ObjectNode sink =
        (ObjectNode) JSON.readTree(stack.repo().resolve("connectors/rtx-ticks-sink.json").toFile());
    sink.put("topics", ownTopic);
    sink.put("tasks.max", "1");
    Files.writeString(sinkFile, JSON.writeValueAsString(sink));
    Path bad = dir.resolve("it-connect-bad.json");
    ObjectNode badConfig = sink.deepCopy();
    badConfig.put("tasks.max", "none");
    badConfig.put("errors.tolerance", "sometimes");
    Files.writeString(bad, JSON.writeValueAsString(badConfig));

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      try {
        admin.createTopics(List.of(new NewTopic(ownTopic, 1, (short) 1))).all().get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    execute("DELETE FROM market.ticks WHERE venue = '" + OWN_VENUE + "'");
    try {
      // validate: the worker's own checks, nothing created
      Run valid = connect("validate", sinkFile.toString());
      assertThat(valid.exit()).as(valid.toString()).isZero();
      assertThat(valid.out()).contains(sinkFile + ": valid (");
      Run invalid = connect("validate", bad.toString());
      assertThat(invalid.exit()).as(invalid.toString()).isEqualTo(1);
      assertThat(invalid.out())
          .contains(bad + ": 2 errors")
          .containsPattern("(?m)^  tasks\\.max: .+")
          .containsPattern("(?m)^  errors\\.tolerance: .+");
      assertThat(client().names()).doesNotContain("it-connect-bad");

      // apply twice: the same connector, running, same config and tasks
      Run apply = connect("apply", sinkFile.toString());
      assertThat(apply.exit()).as(apply.toString()).isZero();
      assertThat(apply.out()).contains(OWN_SINK + " deployed");
      awaitAllRunning(OWN_SINK, Duration.ofMinutes(1));
      Map<String, String> config = client().config(OWN_SINK);
      Run again = connect("apply", sinkFile.toString());
      assertThat(again.exit()).as(again.toString()).isZero();
      assertThat(again.out()).contains(OWN_SINK + " deployed");
      assertThat(client().config(OWN_SINK)).isEqualTo(config);
      assertThat(client().names().stream().filter(OWN_SINK::equals)).hasSize(1);
      awaitAllRunning(OWN_SINK, Duration.ofMinutes(1));
      assertThat(client().state(OWN_SINK).tasks()).hasSize(1);

      // restart NAME: the connector and its tasks, running again; --all --failed: none failed
      Run restartOne = connect("restart", OWN_SINK);
      assertThat(restartOne.exit()).as(restartOne.toString()).isZero();
      assertThat(restartOne.out()).startsWith("connector " + OWN_SINK + " restarted: ");
      awaitAllRunning(OWN_SINK, Duration.ofMinutes(1));
      Run restartFailed = connect("restart", "--all", "--failed");
      assertThat(restartFailed.exit()).as(restartFailed.toString()).isZero();
      assertThat(restartFailed.out()).doesNotContain(OWN_SINK);

      // records for it: offsets shows where it committed
      sendOwnTicks(25);
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  connect("offsets", OWN_SINK)
                      .out()
                      .matches("(?s).*" + Pattern.quote(ownTopic) + " +0 +25\\s*"));
      // the worker's JSON: the group's offsets (a partition of an earlier run's topic too)
      Run offsetsJson = connect("offsets", OWN_SINK, "--json");
      long committed = -1;
      for (JsonNode o : JSON.readTree(offsetsJson.out()).path("offsets")) {
        if (o.path("partition").path("kafka_topic").asText().equals(ownTopic)) {
          committed = o.path("offset").path("kafka_offset").asLong();
        }
      }
      assertThat(committed).as(offsetsJson.out()).isEqualTo(25);
      assertThat(scalar("SELECT count(*) FROM market.ticks WHERE venue = '" + OWN_VENUE + "'"))
          .isEqualTo(25);

      // offsets reset refuses a running connector, saying what to do
      Run refused = connect("offsets", "reset", OWN_SINK);
      assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
      assertThat(refused.err())
          .contains(
              "rtx: connector "
                  + OWN_SINK
                  + " is RUNNING: offsets can be reset only on a STOPPED connector (./rtx connect"
                  + " stop "
                  + OWN_SINK
                  + " first)");

      // pause, resume, stop: each waits for the state it asked for
      Run pause = connect("pause", OWN_SINK);
      assertThat(pause.exit()).as(pause.toString()).isZero();
      assertThat(pause.out()).isEqualTo("connector " + OWN_SINK + " PAUSED\n");
      assertThat(client().state(OWN_SINK).state()).isEqualTo("PAUSED");
      Run resume = connect("resume", OWN_SINK);
      assertThat(resume.exit()).as(resume.toString()).isZero();
      assertThat(resume.out()).isEqualTo("connector " + OWN_SINK + " RUNNING\n");
      Run stop = connect("stop", OWN_SINK);
      assertThat(stop.exit()).as(stop.toString()).isZero();
      assertThat(stop.out()).isEqualTo("connector " + OWN_SINK + " STOPPED\n");
      // stopped (KIP-875): its tasks are shut down and gone from its status
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> client().state(OWN_SINK).tasks().isEmpty());

      // offsets reset on the stopped connector: nothing committed; resumed, it reads it all again
      Run reset = connect("offsets", "reset", OWN_SINK);
      assertThat(reset.exit()).as(reset.toString()).isZero();
      assertThat(reset.out()).contains("connector " + OWN_SINK + ": offsets reset");
      Run none = connect("offsets", OWN_SINK);
      assertThat(none.out()).isEqualTo("no committed offsets\n");
      execute("DELETE FROM market.ticks WHERE venue = '" + OWN_VENUE + "'");
      assertThat(connect("resume", OWN_SINK).exit()).isZero();
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  scalar("SELECT count(*) FROM market.ticks WHERE venue = '" + OWN_VENUE + "'")
                      == 25);

      // watch --auto-restart: our sink's task fails for a real cause; once the cause is gone,
      // one refresh restarts the failed task, says so, and the ticks land
      execute("REVOKE INSERT, UPDATE ON market.ticks FROM rtx_sink");
      try {
        sendOwnTicks(30); // new timestamps: 30 new rows beside the 25 landed
        try {
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> client().state(OWN_SINK).tasksFailed() > 0);
        } catch (ConditionTimeoutException e) {
          throw new AssertionError("no task failed: " + client().state(OWN_SINK), e);
        }
      } finally {
        execute("GRANT INSERT, UPDATE ON market.ticks TO rtx_sink");
      }
      Run watch = connect("watch", "--auto-restart", "--count", "1", "--interval", "1");
      assertThat(watch.exit()).as(watch.toString()).isZero();
      assertThat(watch.out())
          .contains("connectors on " + stack.connectUrl())
          .containsPattern(
              "(?m)^\\d\\d:\\d\\d:\\d\\d restarted "
                  + OWN_SINK
                  + " task 0 \\(restart 1 in a row; the next no sooner than in \\d+ s\\)$");
      awaitAllRunning(OWN_SINK, Duration.ofMinutes(1));
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  scalar("SELECT count(*) FROM market.ticks WHERE venue = '" + OWN_VENUE + "'")
                      == 55);

      // delete: gone from the worker
      Run delete = connect("delete", OWN_SINK);
      assertThat(delete.exit()).as(delete.toString()).isZero();
      assertThat(delete.out()).isEqualTo("connector " + OWN_SINK + " deleted\n");
      assertThat(client().names()).doesNotContain(OWN_SINK);
      assertThat(connect("ls").out()).doesNotContain(OWN_SINK);

      // an unknown connector: one line naming it and the worker, exit 1
      for (String[] args :
          List.of(
              new String[] {"describe", OWN_SINK},
              new String[] {"pause", OWN_SINK},
              new String[] {"offsets", OWN_SINK},
              new String[] {"delete", OWN_SINK})) {
        Run unknown = connect(args);
        assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(1);
        assertThat(unknown.err())
            .isEqualTo("rtx: no connector " + OWN_SINK + " on " + stack.connectUrl() + "\n");
      }
    } finally {
      if (client().names().contains(OWN_SINK)) {
        client().delete(OWN_SINK);
      }
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
        admin.deleteTopics(List.of(ownTopic)).all().get();
      }
    }
  }

  private void sendOwnTicks(int n) throws Exception {
    MarketGenerator feed = new MarketGenerator(Instrument.parse("CXOWNUSD"), 5, 0, 0, OWN_VENUE, 1);
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers(), "acks", "all"),
            new StringSerializer(),
            RegistrySerdes.<Tick>autoRegistering(stack.registryUrl()).serializer())) {
      Instant t = Instant.now();
      for (int i = 0; i < n; i++) {
        Tick tick = feed.next(t.plusMillis(i));
        producer.send(new ProducerRecord<>(ownTopic, tick.getSymbol(), tick)).get();
      }
    }
  }

  @Test
  void deletingADebeziumSourceDropsItsReplicationSlot(@TempDir Path dir) throws Exception {
    ObjectNode source =
        (ObjectNode)
            JSON.readTree(stack.repo().resolve("connectors/rtx-ledger-source.json").toFile());
    // a second capture of its own: own slot and topic prefix, no snapshot, no heartbeat
    source.put("slot.name", OWN_SLOT);
    source.put("topic.prefix", "itconnect");
    source.put("table.include.list", "instruments.instruments");
    source.put("snapshot.mode", "no_data");
    source.remove("heartbeat.interval.ms");
    source.remove("heartbeat.action.query");
    Path file = dir.resolve(OWN_SOURCE + ".json");
    Files.writeString(file, JSON.writeValueAsString(source));
    ReplicationSlots slots = new ReplicationSlots(stack.settings());
    try {
      Run apply = connect("apply", file.toString());
      assertThat(apply.exit()).as(apply.toString()).isZero();
      awaitAllRunning(OWN_SOURCE, Duration.ofMinutes(1));
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> slotNames(slots).contains(OWN_SLOT));

      Run delete = connect("delete", OWN_SOURCE);
      assertThat(delete.exit()).as(delete.toString()).isZero();
      assertThat(delete.out())
          .isEqualTo(
              "connector "
                  + OWN_SOURCE
                  + " deleted\nslot      "
                  + OWN_SLOT
                  + " dropped (it would hold WAL forever)\n");
      assertThat(client().names()).doesNotContain(OWN_SOURCE);
      assertThat(slotNames(slots)).doesNotContain(OWN_SLOT).contains("rtx_capture");
    } finally {
      if (client().names().contains(OWN_SOURCE)) {
        client().delete(OWN_SOURCE);
      }
      if (slotNames(slots).contains(OWN_SLOT)) {
        slots.drop(OWN_SLOT, Duration.ofSeconds(30));
      }
    }
  }

  private static TreeSet<String> slotNames(ReplicationSlots slots) {
    TreeSet<String> names = new TreeSet<>();
    slots.list().forEach(s -> names.add(s.name()));
    return names;
  }

  @Test
  void anUnreachableWorkerIsOneLineAndExitOne() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // free once closed: nothing listens there
    }
    String url = "http://127.0.0.1:" + closed;
    for (String[] args :
        List.of(
            new String[] {"ls"},
            new String[] {"describe", TICKS_SINK},
            new String[] {"restart", "--failed"})) {
      Run r = connectAt(url, args);
      assertThat(r.exit()).as(r.toString()).isEqualTo(1);
      assertThat(r.err())
          .isEqualTo(
              "rtx: the Connect worker at "
                  + url
                  + " is not reachable (is it up? ./rtx status connect)\n");
      assertThat(r.out()).isEmpty();
    }
    // and the client says the same to every caller
    try {
      new ConnectClient(url).states();
      throw new AssertionError("no failure");
    } catch (StackException e) {
      assertThat(e.getMessage()).contains("is not reachable");
    }
  }
}
