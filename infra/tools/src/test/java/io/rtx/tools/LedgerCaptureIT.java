package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.launcher.Secrets;
import io.rtx.ledger.BackOffice;
import io.rtx.ledger.Currency;
import io.rtx.ledger.Pii;
import io.rtx.ledger.Receipt;
import io.rtx.ledger.ReferenceData;
import io.rtx.ledger.ReferenceData.AccountSpec;
import io.rtx.ledger.ReferenceData.UserSpec;
import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the back office books reaches {@code ledger.audit} through Debezium: each deposit,
 * withdrawal and adjustment as its entries, with their ids, exact amounts, the LSN of the change
 * (between the WAL positions before and after the operation), one database transaction id and the
 * commit time.
 */
@UsesLocalStack({Component.POSTGRES, Component.KAFKA, Component.REGISTRY, Component.CONNECT})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerCaptureIT {

  private static final String CURRENCY = "QCA";

  private final LocalStack stack;
  private final String account =
      "CAPIT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
  private PGSimpleDataSource owner;
  private BackOffice backOffice;

  LedgerCaptureIT(LocalStack stack) {
    this.stack = stack;
  }

  @BeforeAll
  void referenceDataAndTheCapture() throws Exception {
    stack.stack().applyTopics(line -> {});
    owner = dataSource(stack.pgUser(), stack.pgPassword());
    PGSimpleDataSource backOfficeDb =
        dataSource(
            Secrets.Role.BACKOFFICE.roleName(),
            stack.settings().secrets().password(Secrets.Role.BACKOFFICE));
    backOffice = new BackOffice(backOfficeDb);
    ReferenceData ref =
        new ReferenceData(backOfficeDb, Pii.fromKey(stack.settings().secrets().piiKey()));
    ref.currency(new Currency(CURRENCY, 2), "capture-it");
    ref.user(new UserSpec("capit-house", "system", null, null, null, "ACTIVE"), "capture-it");
    ref.user(new UserSpec("capit-client", "trader", null, null, null, "ACTIVE"), "capture-it");
    ref.account(
        new AccountSpec(
            "CAPIT-HOUSE-" + CURRENCY,
            "capit-house",
            "HOUSE",
            CURRENCY,
            BigDecimal.ONE,
            "ACTIVE",
            null,
            null,
            null),
        "capture-it");
    ref.account(
        new AccountSpec(
            account,
            "capit-client",
            "CLIENT",
            CURRENCY,
            BigDecimal.ONE,
            "ACTIVE",
            null,
            null,
            null),
        "capture-it");
    ref.account(
        new AccountSpec(
            account + "-M",
            "capit-client",
            "CLIENT",
            CURRENCY,
            BigDecimal.ONE,
            "ACTIVE",
            null,
            null,
            null),
        "capture-it");
    stack.deployConnectors();
    // Until the capture streams, what is booked lands in its initial snapshot (op r): book markers
    // until one comes through streamed (op c).
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              String marker =
                  backOffice
                      .deposit(account + "-M", "0.01", CURRENCY, "marker", "capture-it")
                      .transactionId();
              Thread.sleep(1_000);
              return AuditTrail.read(
                          stack.bootstrapServers(),
                          stack.registryUrl(),
                          null,
                          (AuditTrail.Entry e) ->
                              e.transactionId().equals(marker) && e.op().equals("c"))
                      .size()
                  == 2;
            });
  }

  @Test
  void depositWithdrawalAndAdjustmentAppearWithIdsAmountsAndLsn() throws Exception {
    Booked deposit =
        book(() -> backOffice.deposit(account, "1000.25", CURRENCY, "wire 1", "capture-it"));
    Booked withdrawal =
        book(() -> backOffice.withdraw(account, "200.05", CURRENCY, null, "capture-it"));
    Booked adjustment =
        book(() -> backOffice.adjust(account, "-0.20", CURRENCY, "fix", "capture-it"));

    for (Booked b : List.of(deposit, withdrawal, adjustment)) {
      String tx = b.receipt().transactionId();
      List<AuditTrail.Entry> entries =
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () ->
                      AuditTrail.read(
                          stack.bootstrapServers(),
                          stack.registryUrl(),
                          null,
                          (AuditTrail.Entry e) -> e.transactionId().equals(tx)),
                  list -> list.size() == 2);
      AuditTrail.Entry client =
          entries.get(0).accountId().equals(account) ? entries.get(0) : entries.get(1);
      AuditTrail.Entry house = client == entries.get(0) ? entries.get(1) : entries.get(0);
      assertThat(client.entryId()).isIn(tx + ":1", tx + ":2");
      assertThat(house.entryId()).isIn(tx + ":1", tx + ":2").isNotEqualTo(client.entryId());
      assertThat(client.amount()).isEqualByComparingTo(b.receipt().amount());
      assertThat(client.amount().scale()).isEqualTo(8); // numeric(28,8), exact
      assertThat(house.amount()).isEqualByComparingTo(b.receipt().amount().negate());
      assertThat(house.accountId()).isEqualTo("CAPIT-HOUSE-" + CURRENCY);
      assertThat(client.kind()).isEqualTo(b.receipt().kind().name());
      assertThat(client.currency()).isEqualTo(CURRENCY);
      assertThat(client.op()).isEqualTo("c");
      for (AuditTrail.Entry e : entries) {
        assertThat(e.lsn())
            .as("LSN of %s", e.entryId())
            .isGreaterThan(b.lsnBefore())
            .isLessThanOrEqualTo(b.lsnAfter());
      }
      assertThat(client.txId()).isEqualTo(house.txId()).isPositive(); // one database transaction
    }
    assertThat(deposit.receipt().amount()).isEqualByComparingTo("1000.25");
    assertThat(withdrawal.receipt().amount()).isEqualByComparingTo("-200.05");
    assertThat(adjustment.receipt().balance()).isEqualByComparingTo("800.00");
  }

  /** A back-office operation with the WAL position before and after it. */
  private record Booked(Receipt receipt, long lsnBefore, long lsnAfter) {}

  private interface Operation {
    Receipt run() throws Exception;
  }

  private Booked book(Operation op) throws Exception {
    long before = walPosition();
    Receipt r = op.run();
    return new Booked(r, before, walPosition());
  }

  private long walPosition() throws Exception {
    try (Connection c = owner.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'")) {
      r.next();
      return r.getLong(1);
    }
  }

  private PGSimpleDataSource dataSource(String user, String password) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(stack.jdbcUrl());
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }
}
