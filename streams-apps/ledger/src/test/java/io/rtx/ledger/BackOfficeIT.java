package io.rtx.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.schemas.Component;
import io.rtx.schemas.LedgerEntryKind;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deposits, withdrawals and adjustments through {@link BackOffice} as {@code rtx_backoffice}: each
 * books exactly one balanced transaction and one audit event; every refused request writes nothing.
 * Accounts are this run's own ({@code BOIT-<run>-n}) in the tests' own currencies.
 */
@UsesLocalStack({Component.POSTGRES})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackOfficeIT {

  private static final String ACTOR = LedgerFixture.ACTOR;

  private final LedgerFixture f;
  private final BackOffice backOffice;
  private String owner;
  // 100.00 QBA, never changed: the refusals below must leave it so
  private String funded;
  private String suspended;
  private String closed;
  private String yenLike;
  private String noHouse;
  // holds the transaction BOIT-<run>-USED
  private String other;

  BackOfficeIT(LocalStack stack) {
    this.f = new LedgerFixture(stack);
    this.backOffice = f.backOffice;
  }

  @BeforeAll
  void accounts() throws Exception {
    f.currency("QBA", 2, true);
    f.currency("QBJ", 0, true);
    f.currency("QBN", 2, false);
    owner = f.login("owner");
    funded = f.account(owner, "QBA", "ACTIVE");
    backOffice.deposit(funded, "100.00", "QBA", "opening", ACTOR);
    suspended = f.account(owner, "QBA", "SUSPENDED");
    closed = f.account(owner, "QBA", "CLOSED");
    yenLike = f.account(owner, "QBJ", "ACTIVE");
    noHouse = f.account(owner, "QBN", "ACTIVE");
    other = f.account(owner, "QBA", "ACTIVE");
    backOffice.deposit(other, "1", "QBA", null, ACTOR, "BOIT-" + f.run + "-USED");
  }

  @AfterEach
  void balancesStillMatchTheLedger() throws Exception {
    f.assertBalancesMatchTheLedger();
  }

  /** The entries of a transaction: entry id, account, currency, amount, kind, reference, writer. */
  private List<List<String>> entries(String transactionId) throws Exception {
    return f.rows(
        "SELECT entry_id, account_id, currency, amount::text, kind, reference, created_by"
            + " FROM transactions.ledger WHERE transaction_id = ? ORDER BY entry_id",
        transactionId);
  }

  /** The money events about an account: actor, role, action, before, after. */
  private List<List<String>> events(String account) throws Exception {
    return f.rows(
        "SELECT actor, db_role, action, before::text, after::text FROM audit.events"
            + " WHERE subject = ? AND action LIKE 'ledger.%' ORDER BY event_id",
        account);
  }

  private BigDecimal houseBalance(String currency) throws Exception {
    return new BigDecimal(
        f.rows(
                "SELECT balance::text FROM accounts.balances WHERE account_id = ?",
                "BOIT-HOUSE-" + currency)
            .get(0)
            .get(0));
  }

  @Test
  void aDepositBooksOneBalancedTransactionAndItsAuditEvent() throws Exception {
    String acc = f.account(owner, "QBA", "ACTIVE");
    BigDecimal house = houseBalance("QBA");
    LedgerFixture.Counts before = f.counts();

    Receipt r = backOffice.deposit(acc, "250.5", "QBA", "wire 7781", ACTOR);

    assertThat(r.transactionId()).matches("BO-[0-9a-f-]{36}");
    assertThat(r)
        .isEqualTo(
            new Receipt(
                r.transactionId(),
                LedgerEntryKind.DEPOSIT,
                acc,
                "QBA",
                new BigDecimal("250.50"),
                new BigDecimal("250.50"),
                false));
    String t = r.transactionId();
    assertThat(entries(t))
        .containsExactly(
            List.of(t + ":1", acc, "QBA", "250.50000000", "DEPOSIT", "wire 7781", "rtx_backoffice"),
            List.of(
                t + ":2",
                "BOIT-HOUSE-QBA",
                "QBA",
                "-250.50000000",
                "DEPOSIT",
                "wire 7781",
                "rtx_backoffice"));
    assertThat(events(acc))
        .containsExactly(
            List.of(
                ACTOR,
                "rtx_backoffice",
                "ledger.deposit",
                "{\"balance\": \"0.00\", \"currency\": \"QBA\"}",
                "{\"balance\": \"250.50\", \"currency\": \"QBA\", \"transaction_id\": \""
                    + t
                    + "\"}"));
    assertThat(f.counts())
        .isEqualTo(new LedgerFixture.Counts(before.ledger() + 2, before.audit() + 1));
    assertThat(backOffice.balance(acc))
        .isEqualTo(new Balance(acc, "QBA", new BigDecimal("250.50")));
    assertThat(houseBalance("QBA")).isEqualByComparingTo(house.subtract(new BigDecimal("250.50")));
  }

  @Test
  void aWithdrawalBooksOneBalancedTransactionAndItsAuditEvent() throws Exception {
    String acc = f.account(owner, "QBA", "ACTIVE");
    backOffice.deposit(acc, "100", "QBA", null, ACTOR);
    LedgerFixture.Counts before = f.counts();

    Receipt r = backOffice.withdraw(acc, "100", "QBA", null, ACTOR, "BOIT-" + f.run + "-WD-1");

    String t = "BOIT-" + f.run + "-WD-1";
    assertThat(r)
        .isEqualTo(
            new Receipt(
                t,
                LedgerEntryKind.WITHDRAWAL,
                acc,
                "QBA",
                new BigDecimal("-100.00"),
                new BigDecimal("0.00"),
                false));
    assertThat(entries(t))
        .containsExactly(
            java.util.Arrays.asList(
                t + ":1", acc, "QBA", "-100.00000000", "WITHDRAWAL", null, "rtx_backoffice"),
            java.util.Arrays.asList(
                t + ":2",
                "BOIT-HOUSE-QBA",
                "QBA",
                "100.00000000",
                "WITHDRAWAL",
                null,
                "rtx_backoffice"));
    assertThat(events(acc).get(1))
        .containsExactly(
            ACTOR,
            "rtx_backoffice",
            "ledger.withdraw",
            "{\"balance\": \"100.00\", \"currency\": \"QBA\"}",
            "{\"balance\": \"0.00\", \"currency\": \"QBA\", \"transaction_id\": \"" + t + "\"}");
    assertThat(f.counts())
        .isEqualTo(new LedgerFixture.Counts(before.ledger() + 2, before.audit() + 1));
    assertThat(backOffice.balance(acc).amount()).isEqualByComparingTo("0");
  }

  @Test
  void adjustmentsOfEitherSignBookOneBalancedTransactionEach() throws Exception {
    String acc = f.account(owner, "QBJ", "ACTIVE");
    LedgerFixture.Counts before = f.counts();

    Receipt up = backOffice.adjust(acc, "5000", "QBJ", "fee refund", ACTOR);
    // a correction may take the balance below zero; a withdrawal may not
    Receipt down = backOffice.adjust(acc, "-6000", "QBJ", "bounced deposit", ACTOR);

    assertThat(up.amount()).isEqualTo(new BigDecimal("5000"));
    assertThat(up.balance()).isEqualTo(new BigDecimal("5000"));
    assertThat(down.amount()).isEqualTo(new BigDecimal("-6000"));
    assertThat(down.balance()).isEqualTo(new BigDecimal("-1000"));
    assertThat(entries(down.transactionId()))
        .containsExactly(
            List.of(
                down.transactionId() + ":1",
                acc,
                "QBJ",
                "-6000.00000000",
                "ADJUSTMENT",
                "bounced deposit",
                "rtx_backoffice"),
            List.of(
                down.transactionId() + ":2",
                "BOIT-HOUSE-QBJ",
                "QBJ",
                "6000.00000000",
                "ADJUSTMENT",
                "bounced deposit",
                "rtx_backoffice"));
    assertThat(events(acc))
        .extracting(e -> e.get(2) + " " + e.get(3) + " -> " + e.get(4))
        .containsExactly(
            "ledger.adjust {\"balance\": \"0\", \"currency\": \"QBJ\"} -> {\"balance\": \"5000\","
                + " \"currency\": \"QBJ\", \"transaction_id\": \""
                + up.transactionId()
                + "\"}",
            "ledger.adjust {\"balance\": \"5000\", \"currency\": \"QBJ\"} -> {\"balance\":"
                + " \"-1000\", \"currency\": \"QBJ\", \"transaction_id\": \""
                + down.transactionId()
                + "\"}");
    assertThat(f.counts())
        .isEqualTo(new LedgerFixture.Counts(before.ledger() + 4, before.audit() + 2));
    assertThatThrownBy(() -> backOffice.withdraw(acc, "1", "QBJ", null, ACTOR))
        .isInstanceOf(Refused.class)
        .hasMessage("withdrawal of 1 QBJ exceeds the balance of " + acc + " (-1000 QBJ)");
  }

  @Test
  void aRetriedRequestBooksNothingAndReportsTheTransactionAlreadyBooked() throws Exception {
    String acc = f.account(owner, "QBA", "ACTIVE");
    String id = "BOIT-" + f.run + "-DEP-1";
    Receipt first = backOffice.deposit(acc, "10.00", "QBA", "ref", ACTOR, id);
    LedgerFixture.Counts before = f.counts();

    Receipt again = backOffice.deposit(acc, "10", "QBA", "ref", ACTOR, id);

    assertThat(first.replayed()).isFalse();
    assertThat(again)
        .isEqualTo(
            new Receipt(
                id,
                LedgerEntryKind.DEPOSIT,
                acc,
                "QBA",
                new BigDecimal("10.00"),
                new BigDecimal("10.00"),
                true));
    assertThat(f.counts()).isEqualTo(before);
    // even once the account is suspended: the retry reports, it does not book
    f.referenceData.account(
        new ReferenceData.AccountSpec(
            acc, owner, "CLIENT", "QBA", new BigDecimal("10"), "SUSPENDED", null, null, null),
        ACTOR);
    assertThat(backOffice.deposit(acc, "10", "QBA", "ref", ACTOR, id).replayed()).isTrue();
  }

  Stream<Arguments> refusals() {
    String longRef = "r".repeat(201);
    return Stream.of(
        refusal(
            "unknown account",
            () -> backOffice.deposit("BOIT-" + f.run + "-NONE", "10", "QBA", null, ACTOR),
            "unknown account 'BOIT-" + f.run + "-NONE'"),
        refusal(
            "suspended account",
            () -> backOffice.deposit(suspended, "10", "QBA", null, ACTOR),
            "account " + suspended + " is SUSPENDED: no money moves"),
        refusal(
            "closed account",
            () -> backOffice.withdraw(closed, "10", "QBA", null, ACTOR),
            "account " + closed + " is CLOSED: no money moves"),
        refusal(
            "house account",
            () -> backOffice.adjust("BOIT-HOUSE-QBA", "10", "QBA", null, ACTOR),
            "account BOIT-HOUSE-QBA is a HOUSE account: deposits, withdrawals and adjustments are"
                + " booked on client accounts"),
        refusal(
            "non-numeric amount",
            () -> backOffice.deposit(funded, "ten", "QBA", null, ACTOR),
            "amount 'ten' is not a decimal number like 100, 100.5 or 0.01 (at most 20 digits before"
                + " the point)"),
        refusal(
            "exponent",
            () -> backOffice.deposit(funded, "1e2", "QBA", null, ACTOR),
            "amount '1e2' is not a decimal number like 100, 100.5 or 0.01 (at most 20 digits before"
                + " the point)"),
        refusal(
            "zero deposit",
            () -> backOffice.deposit(funded, "0", "QBA", null, ACTOR),
            "amount must be positive, got 0"),
        refusal(
            "negative deposit",
            () -> backOffice.deposit(funded, "-5", "QBA", null, ACTOR),
            "amount must be positive, got -5"),
        refusal(
            "negative withdrawal",
            () -> backOffice.withdraw(funded, "-5", "QBA", null, ACTOR),
            "amount must be positive, got -5"),
        refusal(
            "zero adjustment",
            () -> backOffice.adjust(funded, "0.00", "QBA", null, ACTOR),
            "amount must not be zero"),
        refusal(
            "more decimals than the currency",
            () -> backOffice.deposit(funded, "0.001", "QBA", null, ACTOR),
            "amount 0.001 has more decimals than QBA allows (2)"),
        refusal(
            "decimals in a currency without",
            () -> backOffice.deposit(yenLike, "1.5", "QBJ", null, ACTOR),
            "amount 1.5 has more decimals than QBJ allows (0)"),
        refusal(
            "another currency than the account's",
            () -> backOffice.deposit(funded, "10", "QBJ", null, ACTOR),
            "account " + funded + " is in QBA, not QBJ"),
        refusal(
            "withdrawal beyond the balance",
            () -> backOffice.withdraw(funded, "100.01", "QBA", null, ACTOR),
            "withdrawal of 100.01 QBA exceeds the balance of " + funded + " (100.00 QBA)"),
        refusal(
            "no house account in the currency",
            () -> backOffice.deposit(noHouse, "10", "QBN", null, ACTOR),
            "no HOUSE account in QBN to take the other side"),
        refusal(
            "malformed idempotency id",
            () -> backOffice.deposit(funded, "10", "QBA", null, ACTOR, "two words"),
            "id 'two words' is not a transaction id: 1-120 letters, digits, '.', '_' or '-',"
                + " starting with a letter or digit"),
        refusal(
            "idempotency id of another transaction",
            () -> backOffice.deposit(funded, "10", "QBA", null, ACTOR, "BOIT-" + f.run + "-USED"),
            "transaction id BOIT-"
                + f.run
                + "-USED already booked a different request: DEPOSIT of 1 QBA on "
                + other),
        refusal(
            "reference too long",
            () -> backOffice.deposit(funded, "10", "QBA", longRef, ACTOR),
            "reference is longer than 200 characters"),
        refusal(
            "no actor",
            () -> backOffice.deposit(funded, "10", "QBA", null, " "),
            "an actor (who asks) is required for the audit trail"));
  }

  private static Arguments refusal(String name, Callable<?> request, String message) {
    return Arguments.of(name, request, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void anInvalidRequestIsRefusedAndWritesNothing(String name, Callable<?> request, String message)
      throws Exception {
    LedgerFixture.Counts before = f.counts();

    assertThatThrownBy(request::call).isInstanceOf(Refused.class).hasMessage(message);

    assertThat(f.counts()).isEqualTo(before);
    assertThat(backOffice.balance(funded).amount()).isEqualByComparingTo("100.00");
  }

  @Test
  void concurrentWithdrawalsNeverOverdraw() throws Exception {
    String acc = f.account(owner, "QBA", "ACTIVE");
    backOffice.deposit(acc, "100.00", "QBA", null, ACTOR);
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    backOffice.withdraw(acc, "30", "QBA", null, ACTOR);
                    return true;
                  } catch (Refused e) {
                    return false;
                  }
                }));
      }
      go.countDown();
      long done = 0;
      for (Future<Boolean> r : results) {
        done += r.get() ? 1 : 0;
      }
      assertThat(done).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
    assertThat(backOffice.balance(acc)).isEqualTo(new Balance(acc, "QBA", new BigDecimal("10.00")));
    assertThat(f.count("SELECT count(*) FROM transactions.ledger WHERE account_id = ?", acc))
        .isEqualTo(4);
  }
}
