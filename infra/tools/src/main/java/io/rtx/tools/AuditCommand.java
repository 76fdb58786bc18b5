package io.rtx.tools;

import io.rtx.common.Settings;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./rtx audit}: the ledger's audit trail from {@code ledger.audit}, one line per entry. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Print the ledger's audit trail (ledger.audit, decoded), one line per entry.")
final class AuditCommand implements Callable<Integer> {

  @Option(names = "--account", description = "Only this account's entries.")
  String account;

  @Option(
      names = "--since",
      description = "From this time on (ISO-8601, e.g. 2026-12-01T00:00:00Z).")
  Instant since;

  @Override
  public Integer call() {
    Settings settings = Rtx.toolSettings(Rtx.stack());
    int[] n = {0};
    AuditTrail.read(
        settings.get("kafka.bootstrap.servers"),
        settings.get("registry.url"),
        since,
        e -> {
          if (account == null || account.equals(e.accountId())) {
            System.out.println(e.line());
            n[0]++;
          }
        });
    System.err.println(n[0] + " entries");
    return 0;
  }
}
