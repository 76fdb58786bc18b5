package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.launcher.ReplicationSlots;
import io.rtx.launcher.Secrets;
import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ledger capture survives a crash of the Connect worker: while a writer commits ledger
 * transactions without pause, the worker is killed (SIGKILL) and started again; afterwards every
 * committed entry is in ledger.audit, duplicates only as Debezium's at-least-once allows (the same
 * entry again at the same LSN). It kills the worker, so it has a stack of its own.
 */
@UsesLocalStack(
    value = {Component.POSTGRES, Component.KAFKA, Component.REGISTRY, Component.CONNECT},
    isolated = true)
class LedgerCaptureCrashIT {

  private final LocalStack stack;

  LedgerCaptureCrashIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void everyCommittedEntryReachesLedgerAuditThroughAWorkerCrash() throws Exception {
    stack.stack().applyTopics(line -> {});
    try (Connection owner =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        Statement s = owner.createStatement()) {
      s.execute("INSERT INTO accounts.currencies VALUES ('USD', 2) ON CONFLICT DO NOTHING");
      s.execute(
          "INSERT INTO users.users (login, role, password_hash) VALUES"
              + " ('crash-house', 'system', crypt('x', gen_salt('bf', 12))),"
              + " ('crash-client', 'trader', crypt('x', gen_salt('bf', 12)))");
      s.execute(
          "INSERT INTO accounts.accounts (account_id, owner_login, kind, currency) VALUES"
              + " ('CRASH-HOUSE', 'crash-house', 'HOUSE', 'USD'), ('CRASH-1', 'crash-client', 'CLIENT', 'USD')");
    }
    stack.deployConnectors();
    await().atMost(Duration.ofMinutes(2)).until(() -> connectorRunning("rtx-ledger-source"));
    // The crash is meant for streaming: wait until a first transaction has been streamed (its
    // snapshot is done and its offsets committed) before the writer starts.
    AtomicBoolean once = new AtomicBoolean(true);
    write(once, new AtomicInteger(), "CRASH-FIRST");
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                !AuditTrail.read(
                        stack.bootstrapServers(),
                        stack.registryUrl(),
                        null,
                        e -> e.entryId().startsWith("CRASH-FIRST") && e.op().equals("c"))
                    .isEmpty());
    Thread.sleep(2_000); // an offset flush (offset.flush.interval.ms is 1 s)

    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger written = new AtomicInteger();
    Thread writer = new Thread(() -> write(writing, written, "CRASH-T"), "ledger-writer");
    writer.start();
    Thread.sleep(4_000);
    int beforeCrash = written.get();
    stack.kill(Component.CONNECT);
    Thread.sleep(3_000);
    stack.ensure(List.of(Component.CONNECT));
    Thread.sleep(4_000);
    writing.set(false);
    writer.join(10_000);
    assertThat(beforeCrash).isPositive();
    assertThat(written.get()).isGreaterThan(beforeCrash);

    Set<String> committed = new HashSet<>();
    try (Connection owner =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        Statement s = owner.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT entry_id FROM transactions.ledger WHERE account_id LIKE 'CRASH-%'")) {
      while (r.next()) {
        committed.add(r.getString(1));
      }
    }
    assertThat(committed).hasSize(2 * written.get() + 2);

    Map<String, Set<Long>> lsnsByEntry = new HashMap<>();
    AtomicInteger records = new AtomicInteger();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              lsnsByEntry.clear();
              records.set(0);
              for (AuditTrail.Entry e :
                  AuditTrail.read(stack.bootstrapServers(), stack.registryUrl(), null, e -> true)) {
                lsnsByEntry.computeIfAbsent(e.entryId(), k -> new HashSet<>()).add(e.lsn());
                records.incrementAndGet();
              }
              return lsnsByEntry.keySet().containsAll(committed);
            });
    assertThat(lsnsByEntry.keySet()).containsAll(committed);
    // a redelivered entry is the same change: same entry, same LSN
    assertThat(
            lsnsByEntry.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList()))
        .isEmpty();

    System.out.printf(
        "ledger capture through a worker crash: %d entries committed, %d audit records, %d redelivered%n",
        committed.size(), records.get(), records.get() - lsnsByEntry.size());

    // Deleting the connector through our tooling drops its slot (else it would hold WAL forever).
    stack
        .stack()
        .connect()
        .delete("rtx-ledger-source")
        .ifPresent(
            slot -> new ReplicationSlots(stack.settings()).drop(slot, Duration.ofSeconds(30)));
    assertThat(new ReplicationSlots(stack.settings()).list()).isEmpty();
  }

  private boolean connectorRunning(String name) {
    var status = stack.stack().connect().get("/connectors/" + name + "/status");
    return status.path("connector").path("state").asText().equals("RUNNING")
        && status.path("tasks").path(0).path("state").asText().equals("RUNNING");
  }

  /**
   * Balanced two-leg transactions, one per database transaction, as the back office writes them.
   */
  private void write(AtomicBoolean writing, AtomicInteger written, String prefix) {
    try (Connection c =
            DriverManager.getConnection(
                stack.jdbcUrl(),
                Secrets.Role.BACKOFFICE.roleName(),
                stack.settings().secrets().password(Secrets.Role.BACKOFFICE));
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO transactions.ledger (entry_id, transaction_id, account_id, currency, amount, kind)"
                    + " VALUES (?, ?, ?, 'USD', ?, 'DEPOSIT')")) {
      c.setAutoCommit(false);
      for (int i = 0; writing.get(); i++) {
        String tx = prefix + i;
        insert.setString(1, tx + ":1");
        insert.setString(2, tx);
        insert.setString(3, "CRASH-1");
        insert.setBigDecimal(4, new java.math.BigDecimal("1.25"));
        insert.addBatch();
        insert.setString(1, tx + ":2");
        insert.setString(2, tx);
        insert.setString(3, "CRASH-HOUSE");
        insert.setBigDecimal(4, new java.math.BigDecimal("-1.25"));
        insert.addBatch();
        insert.executeBatch();
        c.commit();
        written.incrementAndGet();
        if (prefix.equals("CRASH-FIRST")) {
          writing.set(false);
        }
        Thread.sleep(5);
      }
    } catch (Exception e) {
      throw new IllegalStateException("the ledger writer failed", e);
    }
  }
}
