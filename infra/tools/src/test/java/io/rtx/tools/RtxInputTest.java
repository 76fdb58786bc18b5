package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * What makes no sense on {@code ./rtx}'s own verbs is a usage error (exit 2) naming the argument,
 * found while parsing: the verb never runs, so nothing is started, stopped, written or sent.
 */
class RtxInputTest {

  @ParameterizedTest(name = "./rtx {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "up foo|unknown component 'foo'; components: postgres redis kafka",
        "up kafka foo|unknown component 'foo'",
        "status foo|unknown component 'foo'",
        "stop foo|unknown component 'foo'",
        "stop kafka foo|unknown component 'foo'",
        "stop|COMPONENT",
        "logs foo|unknown component 'foo'",
        "down --wpie|--wpie",
        "up --no-topic|--no-topic",
        "psql --role nobody|--role must be owner or one of: rtx_cdc",
        "lag --max-seconds -1|--max-seconds",
        "lag --max-seconds NaN|--max-seconds",
        "lag --interval soon|--interval",
        "lag --interval 0s|--interval",
        "lag --interval 50ms|--interval",
        "lag --samples 0|--samples",
        "lag --samples 101|--samples",
        "seed --accounts 0|--accounts",
        "seed --accounts 10000|--accounts",
        "seed --acounts 5|--acounts",
        "connect watch --interval 0|--interval",
        "connect watch --backoff 0|--backoff",
        "connect watch --max-backoff 0|--max-backoff",
        "connect watch --count -1|--count",
        "connect describe x --trace-lines -1|--trace-lines",
        "audit --since yesterday|--since",
        "ledger deposit --account ACC-0001 --amount 1|--currency"
      })
  void everyBadArgumentIsRefusedByNameBeforeTheVerbRuns(String args, String named) {
    StringWriter err = new StringWriter();
    CommandLine cli = Rtx.commandLine();
    cli.setErr(new PrintWriter(err));
    AtomicBoolean ran = new AtomicBoolean();
    // in place of running the verb: an argument wrongly let through is seen here, not acted on
    cli.setExecutionStrategy(
        parsed -> {
          ran.set(true);
          return 0;
        });
    int exit = cli.execute(args.split(" "));
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains(named);
    assertThat(ran).isFalse();
  }

  @Test
  void connectWatchRefusesAMaxBackoffBelowTheBackoffBeforeItAsksTheWorker() {
    StringWriter err = new StringWriter();
    // nothing listens there: a check made after the first request would fail differently
    CommandLine cli =
        Rtx.handlingErrors(new CommandLine(new ConnectCommand(null, "http://127.0.0.1:1")));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("watch", "--backoff", "5", "--max-backoff", "1");
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("--max-backoff must be at least --backoff (5), got 1");
  }
}
