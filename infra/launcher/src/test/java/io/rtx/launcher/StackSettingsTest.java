package io.rtx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.rtx.schemas.Component;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stack's settings variables: what makes no sense is refused naming the variable. */
class StackSettingsTest {

  @TempDir Path home;

  private StackSettings settings(String... variables) {
    Map<String, String> env = new HashMap<>(Map.of(StackSettings.HOME, home.toString()));
    for (int i = 0; i < variables.length; i += 2) {
      env.put(variables[i], variables[i + 1]);
    }
    return StackSettings.fromEnvironment(home, env);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "RTX_CANDLES_PORT|70000|RTX_CANDLES_PORT must be a port 1..65535, got 70000",
        "RTX_CANDLES_PORT|0|RTX_CANDLES_PORT must be a port 1..65535, got 0",
        "RTX_CANDLES_PORT|-1|RTX_CANDLES_PORT must be a port 1..65535, got -1",
        "RTX_CANDLES_PORT|abc|RTX_CANDLES_PORT must be a port number, got 'abc'",
        "RTX_CONTROLLER_PORT|99999|RTX_CONTROLLER_PORT must be a port",
        "RTX_QUOTES_WS_PORT|x|RTX_QUOTES_WS_PORT must be a port number",
        "RTX_BROKER_PORT|8083|RTX_BROKER_PORT and RTX_CONNECT_PORT are both 8083",
        "RTX_QUOTES_WS_PORT|8090|RTX_CANDLES_PORT and RTX_QUOTES_WS_PORT are both 8090",
        "RTX_HEAP|lots|RTX_HEAP must be a heap size",
        "RTX_APP_HEAP|0m|RTX_APP_HEAP must be a heap size",
        "RTX_TICKS_RETENTION|soon|RTX_TICKS_RETENTION must be",
        "RTX_CANDLES_RETENTION|7 days|RTX_CANDLES_RETENTION must be interval=age pairs",
        "RTX_CANDLES_RETENTION|2x=7 days|RTX_CANDLES_RETENTION must be interval=age pairs",
        "RTX_CANDLES_RETENTION|0s=7 days|RTX_CANDLES_RETENTION must be interval=age pairs",
        "RTX_CANDLES_RETENTION|1s=7 days,|RTX_CANDLES_RETENTION must be interval=age pairs",
        "RTX_CANDLES_RETENTION|1m=30 minutes|RTX_CANDLES_RETENTION (1m) must be a whole number",
        "RTX_CANDLES_RETENTION|1m=0 hours|RTX_CANDLES_RETENTION (1m) must be at least 1 hour",
        "RTX_CANDLES_RETENTION|1s=1 day; DROP TABLE x|RTX_CANDLES_RETENTION (1s) must be",
        "RTX_CANDLES_RETENTION|1s=7 days, 1s=1 day|RTX_CANDLES_RETENTION names 1s twice",
        "RTX_SLOT_WAL_WARN|big|RTX_SLOT_WAL_WARN must be",
        "RTX_PG_DB|Bad-Name|RTX_PG_DB must be a lower-case identifier",
        "RTX_PG_USER|x;drop|RTX_PG_USER must be a lower-case identifier",
        "RTX_BROKERS|2|RTX_BROKERS must be 1, 3, 4 or 5",
        "RTX_BROKERS|0|RTX_BROKERS must be 1, 3, 4 or 5",
        "RTX_BROKERS|three|RTX_BROKERS must be a number, got 'three'",
        "RTX_INSTANCES|5|RTX_INSTANCES must be 1 to 4, got 5",
        "RTX_CANDLES_PORT_2|8090|RTX_CANDLES_PORT and RTX_CANDLES_PORT_2 are both 8090"
      })
  void aBadVariableIsRefusedByNameBeforeAnythingIsWritten(
      String variable, String value, String message) throws Exception {
    // a second instance of each app, whose ports a clash may involve
    String[] env =
        variable.equals(StackSettings.INSTANCES)
            ? new String[] {variable, value}
            : new String[] {variable, value, StackSettings.INSTANCES, "2"};
    assertThatThrownBy(() -> settings(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
    try (var files = Files.list(home)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void twoPortsSavedInTheHomeThatClashAreRefusedToo() throws Exception {
    settings().save();
    Path saved = home.resolve("conf/stack.properties");
    Files.writeString(saved, Files.readString(saved) + "RTX_OPS_PORT=8090\n");
    assertThatThrownBy(() -> settings())
        .hasMessageContaining("RTX_CANDLES_PORT and RTX_OPS_PORT are both 8090");
  }

  @Test
  void candlesAreKeptByIntervalAndOnlyTheIntervalsNamed() {
    assertThat(settings().candlesRetentionByInterval())
        .containsExactly(entry("1s", "7 days"), entry("1m", "90 days"));
    assertThat(
            settings(StackSettings.CANDLES_RETENTION, " 500ms = 2 hours ,2h=1 year")
                .candlesRetentionByInterval())
        .containsExactly(entry("500ms", "2 hours"), entry("2h", "1 year"));
    assertThat(settings(StackSettings.CANDLES_RETENTION, "none").candlesRetentionByInterval())
        .isEmpty();
  }

  @Test
  void anEmptyHomeVariableIsUnsetNotTheCurrentDirectory(@TempDir Path repo) {
    StackSettings s = StackSettings.fromEnvironment(repo, Map.of(StackSettings.HOME, ""));
    assertThat(s.home()).isEqualTo(repo.resolve(".rtx").toAbsolutePath());
  }

  @Test
  void instancesAfterTheFirstListenAHundredPortsOnUnlessSetOneByOne() {
    StackSettings s =
        settings(
            StackSettings.BROKERS,
            "3",
            StackSettings.INSTANCES,
            "2",
            "RTX_CANDLES_PORT_2",
            "18190");
    assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:9092,127.0.0.1:9192,127.0.0.1:9292");
    assertThat(s.controllerPort(3)).isEqualTo(9293);
    assertThat(s.port(Component.CANDLES, 2)).isEqualTo(18190);
    assertThat(s.port(Component.CONNECT, 2)).isEqualTo(8183);
    assertThat(s.quotesWsPort(2)).isEqualTo(8194);
    assertThat(s.processName(Component.QUOTES, 2)).isEqualTo("quotes-2");
    assertThat(s.count(Component.KAFKA)).isEqualTo(3);
    assertThat(s.count(Component.REGISTRY)).isEqualTo(1);
    assertThat(s.replicationFactor()).isEqualTo((short) 3);
    assertThat(s.minInsyncReplicas()).isEqualTo(2);
  }

  @Test
  void freePortsAreAllDifferent(@TempDir Path other) {
    StackSettings s = StackSettings.onFreePorts(other, other);
    assertThat(s.ports().values()).doesNotHaveDuplicates();
    assertThat(s.ports().values()).doesNotContain(s.controllerPort(), s.quotesWsPort());
    // the constructor refuses any two listeners on one port, instances' included
    StackSettings scaled = StackSettings.onFreePorts(other, other.resolve("scaled"), 3, 2);
    assertThat(scaled.instancePorts()).hasSize(2 * 2 + 5);
  }
}
