package io.rtx.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.launcher.Secrets;
import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the database itself guarantees, whatever the client: a transaction that does not balance is
 * refused at commit, the ledger and the audit trail cannot be rewritten by any role, and a trader
 * reads only its own accounts, entries and balances.
 */
@UsesLocalStack({Component.POSTGRES})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackOfficeGuardsIT {

  private static final String ACTOR = LedgerFixture.ACTOR;

  private final LedgerFixture f;
  private String alice;
  private String bob;
  private String alice1;
  private String alice2;
  private String bob1;
  private String carols;
  private final Map<String, String> transactions = new LinkedHashMap<>();

  BackOfficeGuardsIT(LocalStack stack) {
    this.f = new LedgerFixture(stack);
  }

  @BeforeAll
  void accounts() throws Exception {
    f.currency("QBG", 2, true);
    alice = f.login("alice");
    bob = f.login("bob");
    alice1 = f.account(alice, "QBG", "ACTIVE");
    alice2 = f.account(alice, "QBG", "ACTIVE");
    bob1 = f.account(bob, "QBG", "ACTIVE");
    carols = f.account(f.login("carol"), "QBG", "ACTIVE");
    transactions.put(
        alice1, f.backOffice.deposit(alice1, "100", "QBG", null, ACTOR).transactionId());
    transactions.put(
        alice2, f.backOffice.deposit(alice2, "20.50", "QBG", null, ACTOR).transactionId());
    transactions.put(bob1, f.backOffice.deposit(bob1, "7", "QBG", null, ACTOR).transactionId());
  }

  @AfterEach
  void balancesStillMatchTheLedger() throws Exception {
    f.assertBalancesMatchTheLedger();
  }

  @Test
  void aTransactionThatDoesNotBalanceIsRefusedAtCommit() throws Exception {
    String acc = carols;
    String t = "BOIT-" + f.run + "-UNBALANCED";
    LedgerFixture.Counts before = f.counts();

    try (Connection c = f.backofficeDb.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO transactions.ledger (entry_id, transaction_id, account_id, currency,"
                  + " amount, kind) VALUES (?, ?, ?, 'QBG', ?, 'DEPOSIT')")) {
        insert(s, t + ":1", t, acc, "5.00");
        insert(s, t + ":2", t, "BOIT-HOUSE-QBG", "-4.99");
      }
      assertThatThrownBy(c::commit)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("transaction " + t + " does not balance: QBG sums to 0.01000000")
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("23514");
    }

    assertThat(f.counts()).isEqualTo(before);
    assertThat(f.backOffice.balance(acc).amount()).isEqualByComparingTo("0");
  }

  private static void insert(PreparedStatement s, String entry, String t, String acc, String amount)
      throws SQLException {
    s.setString(1, entry);
    s.setString(2, t);
    s.setString(3, acc);
    s.setBigDecimal(4, new java.math.BigDecimal(amount));
    s.executeUpdate();
  }

  /** Every role the platform has, with its password: the owner and each service role. */
  private Map<String, DataSource> everyRole() {
    Map<String, DataSource> roles = new LinkedHashMap<>();
    roles.put(f.stack.pgUser(), f.owner);
    for (Secrets.Role r : Secrets.Role.values()) {
      roles.put(r.roleName(), f.as(r));
    }
    return roles;
  }

  private List<String> rewrites() {
    String t = transactions.get(alice1);
    return List.of(
        "UPDATE transactions.ledger SET amount = amount * 2 WHERE transaction_id = '" + t + "'",
        "DELETE FROM transactions.ledger WHERE transaction_id = '" + t + "'",
        "TRUNCATE transactions.ledger",
        "UPDATE audit.events SET actor = 'nobody' WHERE subject = '" + alice1 + "'",
        "DELETE FROM audit.events WHERE subject = '" + alice1 + "'",
        "TRUNCATE audit.events");
  }

  /** The rows the rewrites aim at, as they are. */
  private List<List<String>> history() throws SQLException {
    List<List<String>> rows =
        new ArrayList<>(
            f.rows(
                "SELECT entry_id, amount::text FROM transactions.ledger WHERE transaction_id = ?"
                    + " ORDER BY entry_id",
                transactions.get(alice1)));
    rows.addAll(
        f.rows(
            "SELECT event_id::text, actor FROM audit.events WHERE subject = ? ORDER BY event_id",
            alice1));
    return rows;
  }

  @Test
  void noRoleCanUpdateDeleteOrTruncateTheLedgerOrTheAuditTrail() throws Exception {
    List<List<String>> history = history();
    LedgerFixture.Counts before = f.counts();
    // two entries; the account's creation and its deposit
    assertThat(history).hasSize(4);

    List<String> outcomes = new ArrayList<>();
    for (Map.Entry<String, DataSource> role : everyRole().entrySet()) {
      try (Connection c = role.getValue().getConnection();
          Statement s = c.createStatement()) {
        for (String sql : rewrites()) {
          try {
            s.execute(sql);
            outcomes.add(role.getKey() + " did: " + sql);
          } catch (SQLException e) {
            outcomes.add(role.getKey() + " " + e.getSQLState());
          }
        }
      }
    }

    // 42501 insufficient_privilege: no role holds UPDATE, DELETE or TRUNCATE on either table
    List<String> expected = new ArrayList<>();
    everyRole().keySet().forEach(r -> rewrites().forEach(sql -> expected.add(r + " 42501")));
    assertThat(outcomes).containsExactlyElementsOf(expected);
    assertThat(history()).isEqualTo(history);
    assertThat(f.counts()).isEqualTo(before);
  }

  @Test
  void evenAnOwnerThatGrantsItselfTheRightsIsStoppedByTheTriggers() throws Exception {
    List<List<String>> history = history();
    List<String> outcomes = new ArrayList<>();
    try (Connection c = f.owner.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute(
          "GRANT UPDATE, DELETE, TRUNCATE ON transactions.ledger, audit.events TO CURRENT_USER");
      for (String sql : rewrites()) {
        Savepoint sp = c.setSavepoint();
        try {
          s.execute(sql);
          outcomes.add("did: " + sql);
        } catch (SQLException e) {
          outcomes.add(e.getSQLState() + " " + e.getMessage().lines().findFirst().orElse(""));
        }
        c.rollback(sp);
      }
      c.rollback();
    }

    assertThat(outcomes)
        .containsExactly(
            "42501 ERROR: transactions.ledger is append-only: UPDATE is not allowed",
            "42501 ERROR: transactions.ledger is append-only: DELETE is not allowed",
            "42501 ERROR: transactions.ledger is append-only: TRUNCATE is not allowed",
            "42501 ERROR: audit.events is append-only: UPDATE is not allowed",
            "42501 ERROR: audit.events is append-only: DELETE is not allowed",
            "42501 ERROR: audit.events is append-only: TRUNCATE is not allowed");
    assertThat(history()).isEqualTo(history);
    assertThat(
            f.count(
                "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee ="
                    + " current_user AND table_schema IN ('transactions', 'audit') AND table_name"
                    + " IN ('ledger', 'events') AND privilege_type IN ('UPDATE', 'DELETE',"
                    + " 'TRUNCATE')"))
        .isZero();
  }

  /** What a trader session sees: its accounts, its ledger entries, its balances. */
  private List<List<String>> seenBy(String login) throws SQLException {
    try (Connection c = f.as(Secrets.Role.TRADER).getConnection()) {
      if (login != null) {
        try (PreparedStatement s =
            c.prepareStatement("SELECT set_config('rtx.user_id', ?, false)")) {
          s.setString(1, login);
          s.execute();
        }
      }
      List<List<String>> seen = new ArrayList<>();
      seen.addAll(
          LedgerFixture.rows(
              c, "SELECT 'account', account_id FROM accounts.accounts ORDER BY account_id"));
      seen.addAll(
          LedgerFixture.rows(
              c,
              "SELECT 'entry', entry_id || ' ' || account_id || ' ' || amount"
                  + " FROM transactions.ledger ORDER BY account_id"));
      seen.addAll(
          LedgerFixture.rows(
              c,
              "SELECT 'balance', account_id || ' ' || balance FROM accounts.balances"
                  + " ORDER BY account_id"));
      return seen;
    }
  }

  @Test
  void aTraderReadsOnlyItsOwnAccountsEntriesAndBalances() throws Exception {
    assertThat(seenBy(alice))
        .containsExactly(
            List.of("account", alice1),
            List.of("account", alice2),
            List.of("entry", transactions.get(alice1) + ":1 " + alice1 + " 100.00000000"),
            List.of("entry", transactions.get(alice2) + ":1 " + alice2 + " 20.50000000"),
            List.of("balance", alice1 + " 100.00000000"),
            List.of("balance", alice2 + " 20.50000000"));
    assertThat(seenBy(bob))
        .containsExactly(
            List.of("account", bob1),
            List.of("entry", transactions.get(bob1) + ":1 " + bob1 + " 7.00000000"),
            List.of("balance", bob1 + " 7.00000000"));
    // no login in the session: nothing at all
    assertThat(seenBy(null)).isEmpty();
  }

  @Test
  void aTraderWritesNothing() throws Exception {
    try (Connection c = f.as(Secrets.Role.TRADER).getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET rtx.user_id = '" + alice + "'");
      for (String sql :
          List.of(
              "INSERT INTO transactions.ledger (entry_id, transaction_id, account_id, currency,"
                  + " amount, kind) VALUES ('x:1', 'x', '"
                  + alice1
                  + "', 'QBG', 1, 'DEPOSIT')",
              "UPDATE accounts.accounts SET leverage = 100 WHERE account_id = '" + alice1 + "'",
              "INSERT INTO audit.events (actor, action) VALUES ('me', 'nothing')")) {
        assertThatThrownBy(() -> s.execute(sql))
            .as(sql)
            .isInstanceOf(SQLException.class)
            .extracting(e -> ((SQLException) e).getSQLState())
            .isEqualTo("42501");
      }
    }
  }
}
