package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.launcher.Secrets;
import io.rtx.ledger.Currency;
import io.rtx.ledger.Pii;
import io.rtx.ledger.ReferenceData;
import io.rtx.ledger.ReferenceData.AccountSpec;
import io.rtx.ledger.ReferenceData.UserSpec;
import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code ./rtx ledger …} and {@code ./rtx seed} as an operator runs them (the built launcher behind
 * the bash script) on the shared stack: what they print, what they book, and that a second seed
 * changes nothing.
 */
@UsesLocalStack({Component.POSTGRES})
class BackOfficeCliIT {

  private static final Path REPO = findRepo();

  private final LocalStack stack;
  private final DataSource owner;
  private final String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);

  BackOfficeCliIT(LocalStack stack) {
    this.stack = stack;
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(stack.jdbcUrl());
    ds.setUser(stack.pgUser());
    ds.setPassword(stack.pgPassword());
    this.owner = ds;
  }

  record Run(int exit, String out) {}

  private Run rtx(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("rtx").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("RTX_"));
    // this build, and the stack of this test run
    env.put("RTX_SKIP_BUILD", "1");
    env.put("RTX_HOME", stack.settings().home().toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  private List<List<String>> rows(String sql, Object... params) throws SQLException {
    try (Connection c = owner.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      List<List<String>> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        int n = r.getMetaData().getColumnCount();
        while (r.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(r.getString(i));
          }
          rows.add(row);
        }
      }
      return rows;
    }
  }

  private List<List<String>> counts() throws SQLException {
    return rows(
        "SELECT (SELECT count(*) FROM transactions.ledger), (SELECT count(*) FROM audit.events)");
  }

  @AfterEach
  void balancesStillMatchTheLedger() throws SQLException {
    assertThat(rows("SELECT * FROM transactions.balance_mismatches()")).isEmpty();
  }

  @Test
  void ledgerVerbsBookPrintAndRefuse() throws Exception {
    PGSimpleDataSource backoffice = new PGSimpleDataSource();
    backoffice.setURL(stack.jdbcUrl());
    backoffice.setUser(Secrets.Role.BACKOFFICE.roleName());
    backoffice.setPassword(stack.settings().secrets().password(Secrets.Role.BACKOFFICE));
    ReferenceData ref =
        new ReferenceData(backoffice, Pii.fromKey(stack.settings().secrets().piiKey()));
    ref.currency(new Currency("QBC", 2), "boit-tester");
    ref.user(new UserSpec("boit-house", "system", null, null, null, "ACTIVE"), "boit-tester");
    ref.account(
        new AccountSpec(
            "BOIT-HOUSE-QBC",
            "boit-house",
            "HOUSE",
            "QBC",
            BigDecimal.ONE,
            "ACTIVE",
            null,
            null,
            null),
        "boit-tester");
    String login = "boit-" + run.toLowerCase(Locale.ROOT) + "-cli";
    ref.user(new UserSpec(login, "trader", null, null, null, "ACTIVE"), "boit-tester");
    String acc = "BOIT-" + run + "-CLI";
    ref.account(
        new AccountSpec(acc, login, "CLIENT", "QBC", BigDecimal.TEN, "ACTIVE", null, null, null),
        "boit-tester");
    String id = "BOIT-" + run + "-CLI-1";

    Run deposit =
        rtx(
            "ledger",
            "deposit",
            "--account",
            acc,
            "--amount",
            "250",
            "--currency",
            "QBC",
            "--reference",
            "cli test",
            "--id",
            id);
    assertThat(deposit)
        .isEqualTo(
            new Run(0, "booked " + id + ": " + acc + " DEPOSIT 250.00 QBC, balance 250.00 QBC\n"));
    List<List<String>> before = counts();
    assertThat(
            rtx(
                "ledger",
                "deposit",
                "--account",
                acc,
                "--amount",
                "250.00",
                "--currency",
                "QBC",
                "--reference",
                "cli test",
                "--id",
                id))
        .isEqualTo(
            new Run(
                0,
                "already booked " + id + ": " + acc + " DEPOSIT 250.00 QBC, balance 250.00 QBC\n"));
    assertThat(counts()).isEqualTo(before);

    assertThat(
            rtx("ledger", "withdraw", "--account", acc, "--amount", "50", "--currency", "QBC")
                .out())
        .matches(
            "booked BO-[0-9a-f-]{36}: " + acc + " WITHDRAWAL -50.00 QBC, balance 200.00 QBC\n");
    assertThat(
            rtx("ledger", "adjust", "--account", acc, "--amount", "-0.25", "--currency", "QBC")
                .out())
        .matches("booked BO-[0-9a-f-]{36}: " + acc + " ADJUSTMENT -0.25 QBC, balance 199.75 QBC\n");
    assertThat(rtx("ledger", "balance", "--account", acc))
        .isEqualTo(new Run(0, acc + " 199.75 QBC\n"));

    before = counts();
    assertThat(
            rtx("ledger", "withdraw", "--account", acc, "--amount", "199.76", "--currency", "QBC"))
        .isEqualTo(
            new Run(
                1,
                "rtx: withdrawal of 199.76 QBC exceeds the balance of " + acc + " (199.75 QBC)\n"));
    assertThat(rtx("ledger", "deposit", "--account", acc, "--amount", "1,000", "--currency", "QBC"))
        .isEqualTo(
            new Run(
                1,
                "rtx: amount '1,000' is not a decimal number like 100, 100.5 or 0.01 (at most 20"
                    + " digits before the point)\n"));
    assertThat(rtx("ledger", "balance", "--account", "BOIT-" + run + "-NONE"))
        .isEqualTo(new Run(1, "rtx: unknown account 'BOIT-" + run + "-NONE'\n"));
    assertThat(rtx("ledger", "deposit", "--account", acc, "--amount", "1").exit()).isEqualTo(2);
    assertThat(counts()).isEqualTo(before);

    // the audit trail names the OS user who ran the command
    assertThat(
            rows(
                "SELECT actor, action FROM audit.events WHERE subject = ? AND action LIKE"
                    + " 'ledger.%' ORDER BY event_id",
                acc))
        .containsExactly(
            List.of(System.getProperty("user.name"), "ledger.deposit"),
            List.of(System.getProperty("user.name"), "ledger.withdraw"),
            List.of(System.getProperty("user.name"), "ledger.adjust"));
  }

  /** Every row the seed owns, whole (timestamps and hashes included): any write would show. */
  private List<List<String>> seeded() throws SQLException {
    List<List<String>> all = new ArrayList<>();
    all.addAll(
        rows(
            "SELECT to_jsonb(c)::text FROM accounts.currencies c WHERE code IN ('USD', 'EUR',"
                + " 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'NZD', 'BTC') ORDER BY code"));
    all.addAll(rows("SELECT to_jsonb(i)::text FROM instruments.instruments i ORDER BY symbol"));
    all.addAll(
        rows(
            "SELECT to_jsonb(u)::text FROM users.users u WHERE login = 'system' OR login LIKE"
                + " 'trader-%' ORDER BY login"));
    all.addAll(
        rows(
            "SELECT to_jsonb(a)::text FROM accounts.accounts a WHERE account_id LIKE 'HOUSE-%' OR"
                + " account_id LIKE 'ACC-%' ORDER BY account_id"));
    all.addAll(
        rows(
            "SELECT to_jsonb(b)::text FROM accounts.balances b WHERE account_id LIKE 'HOUSE-%' OR"
                + " account_id LIKE 'ACC-%' ORDER BY account_id"));
    all.addAll(counts());
    return all;
  }

  @Test
  void seedingTwiceChangesNothingTheSecondTime() throws Exception {
    Run first = rtx("seed", "--accounts", "2");
    assertThat(first.exit()).as(first.out()).isZero();
    List<List<String>> afterFirst = seeded();

    Run second = rtx("seed", "--accounts", "2");

    assertThat(second)
        .isEqualTo(
            new Run(
                0,
                """
                currencies      9  created 0, updated 0
                instruments    11  created 0, updated 0
                users           3  created 0, updated 0
                accounts       11  created 0, updated 0
                deposits        2  booked 0, already booked 2 (100000.00 USD each)
                """));
    assertThat(seeded()).isEqualTo(afterFirst);

    assertThat(
            rows(
                "SELECT entry_id, account_id, amount::text, kind, reference FROM"
                    + " transactions.ledger WHERE transaction_id = 'SEED-DEP-ACC-0002' ORDER BY"
                    + " entry_id"))
        .containsExactly(
            List.of(
                "SEED-DEP-ACC-0002:1", "ACC-0002", "100000.00000000", "DEPOSIT", "opening deposit"),
            List.of(
                "SEED-DEP-ACC-0002:2",
                "HOUSE-USD",
                "-100000.00000000",
                "DEPOSIT",
                "opening deposit"));
    assertThat(
            rows(
                "SELECT a.owner_login, a.kind, a.currency, a.leverage::text, a.status,"
                    + " a.max_order_quantity::text, a.max_position_quantity::text,"
                    + " a.max_orders_per_second::text, b.balance::text FROM accounts.accounts a"
                    + " JOIN accounts.balances b USING (account_id) WHERE account_id = 'ACC-0002'"))
        .containsExactly(
            List.of(
                "trader-0002",
                "CLIENT",
                "USD",
                "30.00",
                "ACTIVE",
                "1000000.00000000",
                "5000000.00000000",
                "50",
                "100000.00000000"));
    assertThat(
            rows(
                "SELECT symbol, quote_currency, tick_size::text, lot_size::text,"
                    + " min_quantity::text, max_quantity::text, contract_size::text,"
                    + " margin_rate::text, price_band_pct::text, status FROM instruments.instruments"
                    + " WHERE symbol IN ('EURGBP', 'USDJPY', 'XAUUSD', 'BTCUSD') ORDER BY symbol"))
        .containsExactly(
            List.of(
                "BTCUSD",
                "USD",
                "0.01000000",
                "0.00010000",
                "0.00010000",
                "10.00000000",
                "1.00000000",
                "0.50000000",
                "10.0000",
                "TRADING"),
            List.of(
                "EURGBP",
                "GBP",
                "0.00001000",
                "1000.00000000",
                "1000.00000000",
                "10000000.00000000",
                "1.00000000",
                "0.02000000",
                "1.0000",
                "TRADING"),
            List.of(
                "USDJPY",
                "JPY",
                "0.00100000",
                "1000.00000000",
                "1000.00000000",
                "10000000.00000000",
                "1.00000000",
                "0.02000000",
                "1.0000",
                "TRADING"),
            List.of(
                "XAUUSD",
                "USD",
                "0.01000000",
                "0.01000000",
                "0.01000000",
                "100.00000000",
                "100.00000000",
                "0.05000000",
                "3.0000",
                "TRADING"));
    assertThat(
            rows(
                "SELECT count(*) FROM accounts.accounts WHERE account_id LIKE 'HOUSE-%' AND kind = 'HOUSE' AND owner_login = 'system'"))
        .containsExactly(List.of("9"));

    // the email is sealed with the stack's key, bound to its user
    Pii pii = Pii.fromKey(stack.settings().secrets().piiKey());
    try (Connection c = owner.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT email_enc FROM users.users WHERE login = 'trader-0001'");
        ResultSet r = s.executeQuery()) {
      r.next();
      assertThat(pii.open(r.getBytes(1), ReferenceData.context("email", "trader-0001")))
          .isEqualTo("trader-0001@example.com");
    }
  }

  private static Path findRepo() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("rtx")) && Files.isDirectory(p.resolve("infra"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the checkout");
  }
}
