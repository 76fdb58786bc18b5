package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code ./rtx bench}: a bad flag is refused while parsing, before the minute it takes to start the
 * private stack, not in the middle of the run.
 */
class BenchCommandTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--warmup|x|--warmup",
        "--warmup|0s|--warmup must be above 0",
        "--latency-duration|soon|--latency-duration",
        "--latency-duration|PT-5S|--latency-duration must be above 0",
        "--ticks|0|--ticks must be at least 1",
        "--ticks|-1|--ticks must be at least 1",
        "--latency-rate|0|--latency-rate must be at least 1",
        "--order-rate|0|--order-rate must be at least 1",
        "--orders|-5|--orders must be at least 1",
        "--ledger-rate|0|--ledger-rate must be at least 1",
        "--sustain-rate|0|--sustain-rate must be at least 1",
        "--sustain-for|0s|--sustain-for must be above 0",
        "--phases|foo|--phases: unknown phase 'foo'",
        "--phases|latency,lag|--phases: unknown phase 'lag'",
        "--symbols|EURUSD,EURUSD|--symbols: EURUSD is named twice",
        "--symbols|0|--symbols: a count of instruments must be 1..10000",
        "--wpie|1|--wpie"
      })
  void everyBadFlagIsRefusedByNameBeforeTheStackStarts(String flag, String value, String named) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setErr(new PrintWriter(err));
    AtomicBoolean ran = new AtomicBoolean();
    // in place of the run, which starts a private stack: a flag wrongly let through is seen here
    cli.setExecutionStrategy(
        parsed -> {
          ran.set(true);
          return 0;
        });
    int exit = cli.execute(flag, value);
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains(named);
    assertThat(ran).isFalse();
  }
}
