package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtx.common.ConfigMask;
import io.rtx.launcher.ConnectClient;
import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.ConnectClient.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of {@code ./rtx connect}: tables, masking, back-off. */
class ConnectOutputTest {

  private static final String W = "127.0.0.1:8083";

  private static ConnectorState sink(String name, String state, String... taskStates) {
    List<TaskState> tasks = new java.util.ArrayList<>();
    for (int i = 0; i < taskStates.length; i++) {
      tasks.add(
          new TaskState(
              i,
              taskStates[i],
              W,
              taskStates[i].equals("FAILED")
                  ? "org.x.Boom: down\n\tat a.b(C.java:1)\n\tat d"
                  : null));
    }
    return new ConnectorState(name, "sink", state, W, null, tasks);
  }

  @Test
  void aTableAlignsColumnsTwoSpacesApartWithoutTrailingBlanks() {
    String t = new Table("NAME", "N", "NOTE").row("a", 10, "").row("longer", 2, "x").render();
    assertThat(t).isEqualTo("NAME    N   NOTE\n" + "a       10\n" + "longer  2   x\n");
    assertThatThrownBy(() -> new Table("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lsShowsTasksRunningOfAllThenFailedThenOtherStates() {
    List<ConnectorState> states =
        List.of(
            sink("rtx-candles-sink", "RUNNING", "RUNNING"),
            sink("rtx-ticks-sink", "RUNNING", "FAILED", "RUNNING", "UNASSIGNED"),
            new ConnectorState("rtx-ledger-source", "source", "STOPPED", W, null, List.of()));
    Map<String, List<String>> topics =
        Map.of(
            "rtx-candles-sink", List.of("market.candles.1m", "market.candles.5m"),
            "rtx-ticks-sink", List.of("market.ticks"));
    assertThat(ConnectCommand.table(states, topics))
        .isEqualTo(
            "NAME               TYPE    STATE    TASKS                                TOPICS\n"
                + "rtx-candles-sink   sink    RUNNING  1/1 RUNNING                          market.candles.1m,market.candles.5m\n"
                + "rtx-ticks-sink     sink    RUNNING  1/3 RUNNING, 1 FAILED, 1 UNASSIGNED  market.ticks\n"
                + "rtx-ledger-source  source  STOPPED  0/0 RUNNING\n");
  }

  @Test
  void describeShowsTheFirstLinesOfEachTraceAndTheMaskedConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
    config.put("connection.password", "${env:RTX_SINK_JDBC_PASSWORD}");
    config.put("topics", "market.ticks");
    String text =
        ConnectCommand.describe(
            sink("rtx-ticks-sink", "RUNNING", "RUNNING", "FAILED"),
            new ConnectClient.Plugin(
                "io.debezium.connector.jdbc.JdbcSinkConnector", "sink", "3.6.0.Final"),
            "io.debezium.connector.jdbc.JdbcSinkConnector",
            List.of("market.ticks"),
            ConfigMask.mask(config),
            2);
    assertThat(text)
        .isEqualTo(
            "Name:     rtx-ticks-sink\n"
                + "Type:     sink\n"
                + "State:    RUNNING on 127.0.0.1:8083\n"
                + "Plugin:   io.debezium.connector.jdbc.JdbcSinkConnector 3.6.0.Final\n"
                + "Topics:   market.ticks\n"
                + "Tasks:\n"
                + "  ID  STATE    WORKER\n"
                + "  0   RUNNING  127.0.0.1:8083\n"
                + "  1   FAILED   127.0.0.1:8083\n"
                + "      org.x.Boom: down\n"
                + "      at a.b(C.java:1)\n"
                + "      … 1 more lines\n"
                + "Config:\n"
                + "  connector.class      io.debezium.connector.jdbc.JdbcSinkConnector\n"
                + "  connection.password  ******\n"
                + "  topics               market.ticks\n");
  }

  @Test
  void describeEndsATraceCutShortWithItsRootCause() {
    String longSql = "x".repeat(300);
    String trace =
        String.join(
            "\n",
            "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask",
            "\tat a.b(C.java:1)",
            "\tat d.e(F.java:2)",
            "Caused by: org.apache.kafka.connect.errors.ConnectException: JDBC sink failure",
            "\t... 11 more",
            "Caused by: java.sql.BatchUpdateException: Batch entry 0 " + longSql,
            "\tat g.h(I.java:3)",
            "Caused by: org.postgresql.util.PSQLException: ERROR: permission denied for table ticks",
            "\tat j.k(L.java:4)",
            "\t... 20 more");
    ConnectorState s =
        new ConnectorState(
            "rtx-ticks-sink",
            "sink",
            "RUNNING",
            W,
            null,
            List.of(new TaskState(0, "FAILED", W, trace)));
    String text = ConnectCommand.describe(s, null, "X", List.of(), Map.of(), 2);
    assertThat(text)
        .contains(
            "  0   FAILED  127.0.0.1:8083\n"
                + "      org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask\n"
                + "      at a.b(C.java:1)\n"
                + "      … 8 more lines\n"
                + "      root cause: org.postgresql.util.PSQLException: ERROR: permission denied for"
                + " table ticks\n");
    // a root cause longer than a line is cut
    String wide =
        ConnectCommand.describe(
            new ConnectorState(
                "s",
                "sink",
                "FAILED",
                W,
                "boom\n\tat a\nCaused by: java.sql.SQLException: " + longSql,
                List.of()),
            null,
            "X",
            List.of(),
            Map.of(),
            1);
    String cause = wide.lines().filter(l -> l.contains("root cause: ")).findFirst().orElseThrow();
    assertThat(cause.strip())
        .hasSize("root cause: ".length() + ConnectCommand.ROOT_CAUSE_WIDTH)
        .endsWith("x…");
    // all shown already: nothing added
    assertThat(ConnectCommand.describe(s, null, "X", List.of(), Map.of(), 20))
        .doesNotContain("root cause");
  }

  @Test
  void secretsAreMaskedAndSettingsAboutKeysAreNot() {
    for (String secret :
        List.of(
            "connection.password",
            "database.password",
            "ssl.key.password",
            "ssl.keystore.key",
            "ssl.key",
            "sasl.jaas.config",
            "aws.secret.access.key",
            "aws.access.key.id",
            "gcp.credentials.json",
            "CLIENT_SECRET",
            "auth.token",
            "ssl.keystore.certificate.chain",
            "private.key")) {
      assertThat(ConfigMask.isSecret(secret)).as(secret).isTrue();
    }
    for (String plain :
        List.of(
            "key.converter",
            "key.converter.apicurio.registry.url",
            "primary.key.mode",
            "primary.key.fields",
            "transforms.ledgerKey.type",
            "connection.username",
            "ssl.keystore.type",
            "ssl.keystore.location")) {
      assertThat(ConfigMask.isSecret(plain)).as(plain).isFalse();
    }
    Map<String, String> config = new LinkedHashMap<>();
    config.put("a", "1");
    config.put("database.password", "p");
    assertThat(ConfigMask.mask(config))
        .containsExactly(Map.entry("a", "1"), Map.entry("database.password", "******"));
  }

  @Test
  void validationListsEveryRefusedSettingWithItsReason() {
    ConnectClient.Validation bad =
        new ConnectClient.Validation(
            "io.debezium.connector.jdbc.JdbcSinkConnector",
            List.of(
                new ConnectClient.FieldError(
                    "insert.mode", "sometimes", List.of("Value must be one of insert, upsert"))));
    assertThat(ConnectCommand.validation("x.json", bad))
        .isEqualTo("x.json: 1 error\n  insert.mode: Value must be one of insert, upsert\n");
    assertThat(
            ConnectCommand.validation(
                "y.json", new ConnectClient.Validation("io.a.Sink", List.of())))
        .isEqualTo("y.json: valid (io.a.Sink)\n");
  }

  @Test
  void sinkOffsetsAreOneRowPerTopicPartitionInOrder() throws Exception {
    String answer =
        """
        {"offsets":[
          {"partition":{"kafka_topic":"market.ticks","kafka_partition":1},"offset":{"kafka_offset":7}},
          {"partition":{"kafka_topic":"market.ticks","kafka_partition":0},"offset":{"kafka_offset":12}}]}
        """;
    assertThat(ConnectCommand.offsetTable(new ObjectMapper().readTree(answer)))
        .isEqualTo(
            "TOPIC         PARTITION  OFFSET\n"
                + "market.ticks  0          12\n"
                + "market.ticks  1          7\n");
    assertThat(ConnectCommand.offsetTable(new ObjectMapper().readTree("{\"offsets\":[]}")))
        .isEqualTo("no committed offsets\n");
  }

  @Test
  void restartsBackOffExponentiallyUpToTheCeilingAndStartOverOnceRecovered() {
    RestartBackoff b = new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(60));
    assertThat(List.of(b.delayAfter(1), b.delayAfter(2), b.delayAfter(3), b.delayAfter(4)))
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(40));
    assertThat(b.delayAfter(5)).isEqualTo(Duration.ofSeconds(60));
    assertThat(b.delayAfter(100)).isEqualTo(Duration.ofSeconds(60));

    Instant t0 = Instant.parse("2026-12-02T12:00:00Z");
    assertThat(b.due("s/0", t0)).isTrue();
    assertThat(b.restarted("s/0", t0)).isEqualTo(1);
    assertThat(b.due("s/0", t0.plusSeconds(4))).isFalse();
    assertThat(b.due("s/0", t0.plusSeconds(5))).isTrue();
    assertThat(b.restarted("s/0", t0.plusSeconds(5))).isEqualTo(2);
    assertThat(b.notBefore("s/0")).isEqualTo(t0.plusSeconds(15));
    // running briefly after a restart is not a recovery
    b.running("s/0", t0.plusSeconds(6));
    assertThat(b.due("s/0", t0.plusSeconds(7))).isFalse();
    assertThat(b.restarted("s/0", t0.plusSeconds(15))).isEqualTo(3);
    // running past its delay is: the next failure is restarted at once, counting from one
    b.running("s/0", t0.plusSeconds(40));
    assertThat(b.due("s/0", t0.plusSeconds(40))).isTrue();
    assertThat(b.restarted("s/0", t0.plusSeconds(41))).isEqualTo(1);
    // other tasks are counted apart
    assertThat(b.due("s/1", t0.plusSeconds(41))).isTrue();
    assertThatThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
