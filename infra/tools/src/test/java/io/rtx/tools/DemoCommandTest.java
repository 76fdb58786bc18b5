package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.common.Settings;
import io.rtx.launcher.StackSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code ./rtx demo}: its flags are checked before it starts the platform. */
class DemoCommandTest {

  /** Nothing listens there: a flag wrongly let through fails later, not with exit code 2. */
  private static final Settings NOWHERE =
      Settings.load(
          "tools",
          new String[0],
          Map.of(
              "RTX_KAFKA_BOOTSTRAP_SERVERS",
              "127.0.0.1:1",
              "RTX_REGISTRY_URL",
              "http://127.0.0.1:1"));

  @TempDir Path home;

  private final AtomicBoolean platformStarted = new AtomicBoolean();
  private final StringWriter err = new StringWriter();

  private CommandLine demo() {
    StackSettings stack = StackSettings.fromEnvironment(home, Map.of("RTX_HOME", home.toString()));
    CommandLine cli =
        new CommandLine(
            new DemoCommand(
                NOWHERE,
                stack,
                () -> {
                  platformStarted.set(true);
                  throw new IllegalStateException("the platform does not start in this test");
                }));
    cli.setErr(new PrintWriter(err));
    return cli;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--rate|-5|--rate must be at least 1",
        "--rate|0|--rate must be at least 1",
        "--orders-rate|-1|--orders-rate must be 0 or more",
        "--accounts|0|--accounts must be 1..9999",
        "--accounts|10000|--accounts must be 1..9999",
        "--every|soon|--every",
        "--every|0s|--every must be above 0",
        "--symbols|EURUSD,,GBPUSD|--symbols: empty symbol",
        "--symbols|EURUSD,EURUSD|--symbols: EURUSD is named twice",
        "--wpie|1|--wpie"
      })
  void everyBadFlagIsRefusedByNameBeforeThePlatformStarts(String flag, String value, String named) {
    int exit = demo().execute(flag, value);
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains(named);
    assertThat(platformStarted).isFalse();
  }

  @Test
  void helpStartsNothing() {
    StringWriter out = new StringWriter();
    CommandLine cli = demo();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString()).contains("--orders-rate");
    assertThat(platformStarted).isFalse();
  }

  @Test
  void goodFlagsStartThePlatformFirst() {
    assertThat(demo().execute("--rate", "10", "--every", "1s")).isNotZero();
    assertThat(platformStarted).isTrue();
  }
}
