package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.common.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class SimulateCommandTest {

  /** Nothing listens there: a flag wrongly let through would fail later, not with exit code 2. */
  private static final Settings NOWHERE =
      Settings.load(
          "tools",
          new String[0],
          Map.of(
              "RTX_KAFKA_BOOTSTRAP_SERVERS",
              "127.0.0.1:1",
              "RTX_REGISTRY_URL",
              "http://127.0.0.1:1"));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--rate|-5|--rate",
        "--count|0|--count",
        "--count|-1|--count",
        "--threads|0|--threads",
        "--duration|0s|--duration",
        "--duration|soon|--duration",
        "--rate|0|--rate 0 needs --count or --duration",
        "--symbols|EURUSD,,GBPUSD|--symbols: empty symbol",
        "--symbols|EURUSD,|--symbols: empty symbol",
        "--symbols|','|--symbols: empty symbol",
        "--symbols|EURUSD,EURUSD|--symbols: EURUSD is named twice",
        "--symbols|EUR USD|--symbols: 'EUR USD' is not a symbol",
        "--symbols|0|--symbols: a count of instruments must be 1..10000",
        "--step|soon|--step",
        "--step|0s|--step must be above 0",
        "--out-of-order|2|--out-of-order",
        "--duplicates|-0.1|--duplicates",
        "--start|yesterday|--start",
        "--wpie|1|--wpie"
      })
  void everyBadFlagIsRefusedByName(String flag, String value, String named) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SimulateCommand(NOWHERE));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(flag, value, "--quiet");
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains(named);
  }
}
