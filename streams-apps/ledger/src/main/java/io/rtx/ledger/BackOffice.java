package io.rtx.ledger;

import io.rtx.schemas.LedgerEntryKind;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Money in and out of client accounts, as the {@code rtx_backoffice} role. Each operation is one
 * database transaction holding one balanced ledger transaction (the client's leg and the opposite
 * leg on the house account of the same currency) and its {@code audit.events} row; a refused
 * request ({@link Refused}) writes nothing.
 *
 * <p>An operation may carry an idempotency id, which becomes the transaction id: repeating the same
 * request with it books nothing and reports the transaction already booked, and using it for a
 * different request is refused. Without one, the id is {@code BO-<uuid>}.
 */
public final class BackOffice {

  private static final Logger log = LoggerFactory.getLogger(BackOffice.class);

  private final DataSource dataSource;

  /** {@code dataSource} connects as {@code rtx_backoffice} (or a role with its rights). */
  public BackOffice(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource);
  }

  public Receipt deposit(
      String account, String amount, String currency, String reference, String actor)
      throws SQLException {
    return deposit(account, amount, currency, reference, actor, null);
  }

  public Receipt deposit(
      String account,
      String amount,
      String currency,
      String reference,
      String actor,
      String idempotencyId)
      throws SQLException {
    return book(
        LedgerEntryKind.DEPOSIT,
        account,
        Money.positive(amount),
        currency,
        reference,
        actor,
        idempotencyId);
  }

  public Receipt withdraw(
      String account, String amount, String currency, String reference, String actor)
      throws SQLException {
    return withdraw(account, amount, currency, reference, actor, null);
  }

  /** Refused when the amount is more than the account's balance. */
  public Receipt withdraw(
      String account,
      String amount,
      String currency,
      String reference,
      String actor,
      String idempotencyId)
      throws SQLException {
    return book(
        LedgerEntryKind.WITHDRAWAL,
        account,
        Money.positive(amount).negate(),
        currency,
        reference,
        actor,
        idempotencyId);
  }

  public Receipt adjust(
      String account, String signedAmount, String currency, String reference, String actor)
      throws SQLException {
    return adjust(account, signedAmount, currency, reference, actor, null);
  }

  /**
   * A correction of either sign; unlike a withdrawal it may take the balance below zero (it books
   * what happened, e.g. a deposit that bounced after the money was traded).
   */
  public Receipt adjust(
      String account,
      String signedAmount,
      String currency,
      String reference,
      String actor,
      String idempotencyId)
      throws SQLException {
    return book(
        LedgerEntryKind.ADJUSTMENT,
        account,
        Money.nonZero(signedAmount),
        currency,
        reference,
        actor,
        idempotencyId);
  }

  /** The account's balance: one indexed read of {@code accounts.balances}. */
  public Balance balance(String account) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            Db.prepare(
                c,
                "SELECT a.currency, cur.decimals, coalesce(b.balance, 0)"
                    + " FROM accounts.accounts a"
                    + " JOIN accounts.currencies cur ON cur.code = a.currency"
                    + " LEFT JOIN accounts.balances b"
                    + "   ON b.account_id = a.account_id AND b.currency = a.currency"
                    + " WHERE a.account_id = ?",
                account);
        ResultSet r = s.executeQuery()) {
      if (!r.next()) {
        throw unknown(account);
      }
      Currency currency = new Currency(r.getString(1), r.getInt(2));
      return new Balance(account, currency.code(), Money.in(r.getBigDecimal(3), currency));
    }
  }

  private record Account(String id, String kind, String status, Currency currency) {}

  private Receipt book(
      LedgerEntryKind kind,
      String account,
      BigDecimal clientAmount,
      String currency,
      String reference,
      String actor,
      String idempotencyId)
      throws SQLException {
    if (account == null || account.isBlank()) {
      throw new Refused("an account is required");
    }
    if (actor == null || actor.isBlank()) {
      throw new Refused("an actor (who asks) is required for the audit trail");
    }
    String ref = reference == null || reference.isBlank() ? null : reference;
    if (ref != null && ref.length() > LedgerTransaction.MAX_REFERENCE) {
      throw new Refused(
          "reference is longer than " + LedgerTransaction.MAX_REFERENCE + " characters");
    }
    String id = idempotencyId == null ? "BO-" + UUID.randomUUID() : idempotencyId;
    if (!LedgerTransaction.ID.matcher(id).matches()) {
      throw new Refused(
          "id '"
              + id
              + "' is not a transaction id: 1-120 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    try {
      Receipt receipt =
          Db.inTransaction(
              dataSource,
              c -> book(c, kind, id, account, clientAmount, currency, ref, actor.strip()));
      log.debug("{}", receipt);
      return receipt;
    } catch (PSQLException e) {
      // Two requests raced with one id: the loser's entry ids collide with the winner's.
      if (e.getServerErrorMessage() != null
          && "ledger_pkey".equals(e.getServerErrorMessage().getConstraint())) {
        throw new Refused("transaction id " + id + " is already used by another request");
      }
      throw e;
    }
  }

  private Receipt book(
      Connection c,
      LedgerEntryKind kind,
      String id,
      String accountId,
      BigDecimal clientAmount,
      String currency,
      String reference,
      String actor)
      throws SQLException {
    // The lock serialises every operation on the account: a balance checked here stays true until
    // commit, so concurrent withdrawals cannot together overdraw it.
    Account account = lockAccount(c, accountId);
    Optional<Receipt> booked =
        alreadyBooked(c, kind, id, account, clientAmount, currency, reference);
    if (booked.isPresent()) {
      return booked.get();
    }
    if (account.kind().equals("HOUSE")) {
      throw new Refused(
          "account "
              + accountId
              + " is a HOUSE account: deposits, withdrawals and adjustments are booked on client"
              + " accounts");
    }
    if (!account.status().equals("ACTIVE")) {
      throw new Refused("account " + accountId + " is " + account.status() + ": no money moves");
    }
    if (!account.currency().code().equals(currency)) {
      throw new Refused(
          "account " + accountId + " is in " + account.currency().code() + ", not " + currency);
    }
    BigDecimal amount = Money.in(clientAmount, account.currency());
    BigDecimal before = balance(c, account);
    if (kind == LedgerEntryKind.WITHDRAWAL && before.add(amount).signum() < 0) {
      throw new Refused(
          "withdrawal of "
              + amount.negate().toPlainString()
              + " "
              + currency
              + " exceeds the balance of "
              + accountId
              + " ("
              + before.toPlainString()
              + " "
              + currency
              + ")");
    }
    String house = houseAccount(c, currency);
    LedgerTransaction t =
        LedgerTransaction.againstHouse(id, kind, reference, accountId, house, currency, amount);
    insert(c, t);
    BigDecimal after = balance(c, account);
    try (PreparedStatement s =
        Db.prepare(
            c,
            "INSERT INTO audit.events (actor, action, subject, before, after) VALUES (?, ?, ?,"
                + " jsonb_build_object('currency', ?::text, 'balance', ?::text),"
                + " jsonb_build_object('currency', ?::text, 'balance', ?::text,"
                + " 'transaction_id', ?::text))",
            actor,
            action(kind),
            accountId,
            currency,
            before.toPlainString(),
            currency,
            after.toPlainString(),
            id)) {
      s.executeUpdate();
    }
    return new Receipt(id, kind, accountId, currency, amount, after, false);
  }

  private static String action(LedgerEntryKind kind) {
    return switch (kind) {
      case DEPOSIT -> "ledger.deposit";
      case WITHDRAWAL -> "ledger.withdraw";
      case ADJUSTMENT -> "ledger.adjust";
      default -> throw new IllegalArgumentException("not a back-office operation: " + kind);
    };
  }

  private static Account lockAccount(Connection c, String accountId) throws SQLException {
    try (PreparedStatement s =
            Db.prepare(
                c,
                "SELECT a.kind, a.status, a.currency, cur.decimals FROM accounts.accounts a"
                    + " JOIN accounts.currencies cur ON cur.code = a.currency"
                    + " WHERE a.account_id = ? FOR UPDATE OF a",
                accountId);
        ResultSet r = s.executeQuery()) {
      if (!r.next()) {
        throw unknown(accountId);
      }
      return new Account(
          accountId, r.getString(1), r.getString(2), new Currency(r.getString(3), r.getInt(4)));
    }
  }

  private static Refused unknown(String accountId) {
    return new Refused("unknown account '" + accountId + "'");
  }

  /**
   * The transaction {@code id} already booked, when it is this same request; a different request
   * under the same id is refused.
   */
  private Optional<Receipt> alreadyBooked(
      Connection c,
      LedgerEntryKind kind,
      String id,
      Account account,
      BigDecimal clientAmount,
      String currency,
      String reference)
      throws SQLException {
    // By transaction id (indexed), not only entry id: another writer's transaction may use the id
    // with entry ids of its own.
    try (PreparedStatement s =
            Db.prepare(
                c,
                "SELECT entry_id, account_id, currency, amount, kind, reference"
                    + " FROM transactions.ledger WHERE transaction_id = ? ORDER BY entry_id",
                id);
        ResultSet r = s.executeQuery()) {
      if (!r.next()) {
        return Optional.empty();
      }
      boolean same =
          r.getString(1).equals(id + ":1")
              && r.getString(2).equals(account.id())
              && r.getString(3).equals(currency)
              && r.getBigDecimal(4).compareTo(clientAmount) == 0
              && r.getString(5).equals(kind.name())
              && Objects.equals(r.getString(6), reference);
      if (!same) {
        throw new Refused(
            "transaction id "
                + id
                + " already booked a different request: "
                + r.getString(5)
                + " of "
                + r.getBigDecimal(4).stripTrailingZeros().toPlainString()
                + " "
                + r.getString(3)
                + " on "
                + r.getString(2));
      }
      return Optional.of(
          new Receipt(
              id,
              kind,
              account.id(),
              currency,
              Money.in(clientAmount, account.currency()),
              balance(c, account),
              true));
    }
  }

  private static BigDecimal balance(Connection c, Account account) throws SQLException {
    String balance =
        Db.string(
            c,
            "SELECT balance FROM accounts.balances WHERE account_id = ? AND currency = ?",
            account.id(),
            account.currency().code());
    return Money.in(
        balance == null ? BigDecimal.ZERO : new BigDecimal(balance), account.currency());
  }

  private static String houseAccount(Connection c, String currency) throws SQLException {
    String house =
        Db.string(
            c,
            "SELECT account_id FROM accounts.accounts WHERE currency = ? AND kind = 'HOUSE'",
            currency);
    if (house == null) {
      throw new Refused("no HOUSE account in " + currency + " to take the other side");
    }
    return house;
  }

  private static void insert(Connection c, LedgerTransaction t) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO transactions.ledger"
                + " (entry_id, transaction_id, account_id, currency, amount, kind, reference)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (LedgerTransaction.Entry e : t.entries()) {
        s.setString(1, e.entryId());
        s.setString(2, t.transactionId());
        s.setString(3, e.leg().account());
        s.setString(4, e.leg().currency());
        s.setBigDecimal(5, e.leg().amount());
        s.setString(6, t.kind().name());
        s.setString(7, t.reference());
        s.addBatch();
      }
      s.executeBatch();
    }
  }
}
