package io.rtx.ledgersink;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.launcher.Secrets;
import io.rtx.ledger.Currency;
import io.rtx.ledger.Pii;
import io.rtx.ledger.ReferenceData;
import io.rtx.ledger.ReferenceData.AccountSpec;
import io.rtx.ledger.ReferenceData.UserSpec;
import io.rtx.testkit.LocalStack;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the sink's integration tests share: currencies and accounts of their own (so they also run
 * on the shared stack), the sink's settings as {@code rtx_sink}, and reads as the owner. The ledger
 * is append-only, so transaction ids carry a run id, new for each test: a test, or a rerun on a
 * stack left running, sees only its own rows.
 */
final class LedgerSinkFixture {

  static final String ACTOR = "lsit-tester";

  /** Two decimals, like most fiat currencies. */
  static final String QLS = "QLS";

  /** Eight decimals, like bitcoin: the ledger's finest amounts. */
  static final String QLB = "QLB";

  static final String CLIENT_QLS = "LSIT-CLIENT-QLS";
  static final String CLIENT_QLB = "LSIT-CLIENT-QLB";
  static final String HOUSE_QLS = "LSIT-HOUSE-QLS";
  static final String HOUSE_QLB = "LSIT-HOUSE-QLB";

  final LocalStack stack;
  private String run = newRunId();

  LedgerSinkFixture(LocalStack stack) {
    this.stack = stack;
  }

  /** The currencies and accounts, created unless they exist (as the back office would). */
  void referenceData() throws SQLException {
    PGSimpleDataSource backOffice = new PGSimpleDataSource();
    backOffice.setURL(stack.jdbcUrl());
    backOffice.setUser(Secrets.Role.BACKOFFICE.roleName());
    backOffice.setPassword(stack.settings().secrets().password(Secrets.Role.BACKOFFICE));
    ReferenceData data =
        new ReferenceData(backOffice, Pii.fromKey(stack.settings().secrets().piiKey()));
    data.currency(new Currency(QLS, 2), ACTOR);
    data.currency(new Currency(QLB, 8), ACTOR);
    data.user(new UserSpec("lsit-house", "system", null, null, null, "ACTIVE"), ACTOR);
    data.user(new UserSpec("lsit-trader", "trader", null, null, null, "ACTIVE"), ACTOR);
    for (String[] a :
        List.of(
            new String[] {HOUSE_QLS, "lsit-house", "HOUSE", QLS},
            new String[] {HOUSE_QLB, "lsit-house", "HOUSE", QLB},
            new String[] {CLIENT_QLS, "lsit-trader", "CLIENT", QLS},
            new String[] {CLIENT_QLB, "lsit-trader", "CLIENT", QLB})) {
      data.account(
          new AccountSpec(a[0], a[1], a[2], a[3], BigDecimal.ONE, "ACTIVE", null, null, null),
          ACTOR);
    }
  }

  /** Starts a new run: {@link #rows()} sees only the transactions of tests after this. */
  void nextRun() {
    run = newRunId();
  }

  private static String newRunId() {
    return UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
  }

  /** A transaction id of this run. */
  String tx(String name) {
    return "LSIT-" + run + "-" + name;
  }

  /** The connector's settings as deployed: rtx_sink, batched inserts rewritten. */
  Map<String, String> sinkSettings() {
    Map<String, String> props = new HashMap<>();
    props.put("connection.url", stack.jdbcUrl() + "?reWriteBatchedInserts=true");
    props.put("connection.username", Secrets.Role.SINK.roleName());
    props.put("connection.password", stack.settings().secrets().password(Secrets.Role.SINK));
    props.put("retry.backoff.ms", "100");
    return props;
  }

  /**
   * This run's ledger rows, each as text: entry_id, transaction_id, account_id, currency, amount,
   * kind, reference, created_at (UTC, ISO), created_by; by entry_id.
   */
  List<List<String>> rows() throws SQLException {
    return query(
        "SELECT entry_id, transaction_id, account_id, currency, amount::text, kind, reference,"
            + " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
            + " created_by FROM transactions.ledger WHERE transaction_id LIKE ? ORDER BY entry_id",
        tx("%"));
  }

  /** How many database transactions wrote this run's rows of these ledger transactions. */
  long databaseTransactions(List<String> transactionIds) throws SQLException {
    return Long.parseLong(
        query(
                "SELECT count(DISTINCT xmin::text) FROM transactions.ledger"
                    + " WHERE transaction_id = ANY (?)",
                (Object) transactionIds.toArray(String[]::new))
            .get(0)
            .get(0));
  }

  /** An account's balance in its currency, as text ("0" when it has none yet). */
  String balance(String account) throws SQLException {
    List<List<String>> r =
        query("SELECT balance::text FROM accounts.balances WHERE account_id = ?", account);
    return r.isEmpty() ? "0" : r.get(0).get(0);
  }

  /** The invariant every test leaves behind: every balance is the sum of its entries. */
  void assertBalancesMatchTheLedger() throws SQLException {
    assertThat(query("SELECT * FROM transactions.balance_mismatches()"))
        .as("transactions.balance_mismatches()")
        .isEmpty();
  }

  /** Rows of a query as the owner, columns as text. */
  List<List<String>> query(String sql, Object... params) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof String[] array) {
          s.setArray(i + 1, c.createArrayOf("text", array));
        } else {
          s.setObject(i + 1, params[i]);
        }
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
}
