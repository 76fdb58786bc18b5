package io.rtx.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.launcher.Secrets;
import io.rtx.ledger.ReferenceData.AccountSpec;
import io.rtx.ledger.ReferenceData.UserSpec;
import io.rtx.testkit.LocalStack;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the back-office tests share on the shared stack: connections as each role, and data of their
 * own. Accounts and users carry a run id (the ledger is append-only, so a rerun on a stack left
 * running must not find last run's balances); currencies and house accounts are the tests' own
 * codes, created idempotently.
 */
final class LedgerFixture {

  static final String ACTOR = "boit-tester";

  final LocalStack stack;
  final String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
  final DataSource owner;
  final DataSource backofficeDb;
  final BackOffice backOffice;
  final ReferenceData referenceData;
  private int accounts;

  LedgerFixture(LocalStack stack) {
    this.stack = stack;
    this.owner = dataSource(stack.pgUser(), stack.pgPassword());
    this.backofficeDb = as(Secrets.Role.BACKOFFICE);
    this.backOffice = new BackOffice(backofficeDb);
    this.referenceData =
        new ReferenceData(backofficeDb, Pii.fromKey(stack.settings().secrets().piiKey()));
  }

  DataSource dataSource(String user, String password) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(stack.jdbcUrl());
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }

  DataSource as(Secrets.Role role) {
    return dataSource(role.roleName(), stack.settings().secrets().password(role));
  }

  /** A currency and its house account, created unless they exist. */
  void currency(String code, int decimals, boolean withHouse) throws SQLException {
    referenceData.currency(new Currency(code, decimals), ACTOR);
    if (withHouse) {
      referenceData.user(new UserSpec("boit-house", "system", null, null, null, "ACTIVE"), ACTOR);
      referenceData.account(
          new AccountSpec(
              "BOIT-HOUSE-" + code,
              "boit-house",
              "HOUSE",
              code,
              BigDecimal.ONE,
              "ACTIVE",
              null,
              null,
              null),
          ACTOR);
    }
  }

  /** A login of this run. */
  String login(String name) throws SQLException {
    String login = ("boit-" + run + "-" + name).toLowerCase(Locale.ROOT);
    referenceData.user(new UserSpec(login, "trader", null, null, null, "ACTIVE"), ACTOR);
    return login;
  }

  /** A new client account of this run. */
  String account(String ownerLogin, String currency, String status) throws SQLException {
    String id = "BOIT-" + run + "-" + (++accounts);
    referenceData.account(
        new AccountSpec(
            id, ownerLogin, "CLIENT", currency, new BigDecimal("10"), status, null, null, null),
        ACTOR);
    return id;
  }

  long count(String sql, Object... params) throws SQLException {
    try (Connection c = owner.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** Rows of a query as the owner, each row's columns as text. */
  List<List<String>> rows(String sql, Object... params) throws SQLException {
    try (Connection c = owner.getConnection()) {
      return rows(c, sql, params);
    }
  }

  static List<List<String>> rows(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
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

  /** Ledger rows and audit events in the whole database. */
  record Counts(long ledger, long audit) {}

  Counts counts() throws SQLException {
    return new Counts(
        count("SELECT count(*) FROM transactions.ledger"),
        count("SELECT count(*) FROM audit.events"));
  }

  /** The invariant every test leaves behind: every balance is the sum of its entries. */
  void assertBalancesMatchTheLedger() throws SQLException {
    try (Connection c = backofficeDb.getConnection()) {
      assertThat(rows(c, "SELECT * FROM transactions.balance_mismatches()"))
          .as("transactions.balance_mismatches()")
          .isEmpty();
    }
  }
}
