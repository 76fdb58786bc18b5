package io.rtx.ledgersink;

import static io.rtx.ledgersink.LedgerRecords.leg;
import static io.rtx.ledgersink.LedgerRecords.transaction;
import static io.rtx.ledgersink.LedgerSinkFixture.CLIENT_QLS;
import static io.rtx.ledgersink.LedgerSinkFixture.HOUSE_QLS;
import static io.rtx.ledgersink.LedgerSinkFixture.QLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.schemas.Component;
import io.rtx.schemas.LedgerEntryKind;
import io.rtx.schemas.LedgerTransaction;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LedgerSinkTask} while PostgreSQL goes away and comes back: a {@link RetriableException},
 * never a half-written transaction, and every booking once after Connect's retries. Stops
 * PostgreSQL, so on a stack of its own.
 */
@UsesLocalStack(
    value = {Component.POSTGRES},
    isolated = true)
class LedgerSinkOutageIT {

  private final LocalStack stack;
  private final LedgerSinkFixture fixture;
  private final LedgerRecords records = new LedgerRecords();
  private final List<LedgerSinkTask> tasks = new ArrayList<>();

  LedgerSinkOutageIT(LocalStack stack) {
    this.stack = stack;
    this.fixture = new LedgerSinkFixture(stack);
  }

  @BeforeEach
  void referenceData() throws SQLException {
    fixture.referenceData();
  }

  @AfterEach
  void stopTasksAndCheckBalances() throws SQLException {
    stack.ensure(List.of(Component.POSTGRES));
    tasks.forEach(LedgerSinkTask::stop);
    fixture.assertBalancesMatchTheLedger();
  }

  private LedgerSinkTask task(StubContext context) {
    LedgerSinkTask task = new LedgerSinkTask();
    task.initialize(context);
    task.start(fixture.sinkSettings());
    tasks.add(task);
    return task;
  }

  /** A fill: P&L and fee on the client, the house opposite; three legs, one transaction. */
  private LedgerTransaction fill(String name) {
    String id = fixture.tx(name);
    return transaction(
        id,
        "EXEC-" + name,
        leg(id + ":pnl", CLIENT_QLS, QLS, "12.34", LedgerEntryKind.TRADE),
        leg(id + ":fee", CLIENT_QLS, QLS, "-0.10", LedgerEntryKind.FEE),
        leg(id + ":house", HOUSE_QLS, QLS, "-12.24", LedgerEntryKind.TRADE));
  }

  /** {@code size} fills of batch {@code n}, at offsets n * size and on. */
  private List<SinkRecord> batch(int n, int size) {
    List<SinkRecord> batch = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      batch.add(records.record(fill(n + "-" + i), 0, (long) n * size + i));
    }
    return batch;
  }

  private long legsLanded() throws SQLException {
    return fixture.rows().size();
  }

  @Test
  void aStoppedDatabaseIsRetriableAndTheSameBatchLandsOnceItIsBack() throws SQLException {
    StubContext context = new StubContext(true);
    LedgerSinkTask task = task(context);
    task.put(batch(0, 10));
    assertThat(legsLanded()).isEqualTo(30);

    stack.stop(Component.POSTGRES);
    try {
      // The task's connection is gone with the server; so is any new one.
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> task.put(batch(1, 10)))
            .isInstanceOf(RetriableException.class)
            .hasMessageContaining("SQLState 0");
      }
      assertThat(context.timeout).isEqualTo(100L);
    } finally {
      stack.ensure(List.of(Component.POSTGRES));
    }
    assertThat(legsLanded()).isEqualTo(30);

    task.put(batch(1, 10)); // Connect puts the same batch again
    assertThat(legsLanded()).isEqualTo(60);
    assertThat(context.reported).isEmpty();
  }

  @Test
  void postgresStoppedMidStreamLeavesNothingHalfWrittenAndEveryBookingOnce() throws Exception {
    StubContext context = new StubContext(true);
    LedgerSinkTask task = task(context);
    int size = 20;
    AtomicInteger landed = new AtomicInteger();
    AtomicInteger retries = new AtomicInteger();
    AtomicBoolean enough = new AtomicBoolean();
    // Puts batch after batch as a worker does, the same batch again after a RetriableException.
    CompletableFuture<Void> stream =
        CompletableFuture.runAsync(
            () -> {
              for (int n = 0; !enough.get(); n++) {
                List<SinkRecord> batch = batch(n, size);
                while (true) {
                  try {
                    task.put(batch);
                    break;
                  } catch (RetriableException e) {
                    retries.incrementAndGet();
                    sleep(context.timeout);
                  }
                }
                landed.incrementAndGet();
              }
            });

    awaitBatches(landed, 5, stream);
    stack.stop(Component.POSTGRES); // fast shutdown: in-flight transactions are cut off
    sleep(500);
    stack.ensure(List.of(Component.POSTGRES));
    awaitBatches(landed, landed.get() + 5, stream);
    enough.set(true);
    stream.get(2, TimeUnit.MINUTES);

    assertThat(retries.get()).as("RetriableExceptions seen").isPositive();
    List<List<String>> rows = fixture.rows();
    assertThat(rows).hasSize(landed.get() * size * 3);
    assertThat(rows.stream().map(r -> r.get(0)).distinct().count()).isEqualTo(rows.size());
    assertThat(
            fixture.query(
                "SELECT transaction_id FROM transactions.ledger WHERE transaction_id LIKE ?"
                    + " GROUP BY transaction_id HAVING count(*) <> 3 OR sum(amount) <> 0",
                fixture.tx("%")))
        .as("transactions not whole")
        .isEmpty();
    assertThat(context.reported).isEmpty();
  }

  private static void awaitBatches(
      AtomicInteger landed, int atLeast, CompletableFuture<Void> stream) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (landed.get() < atLeast) {
      assertThat(stream).as("the stream of puts").isNotCompletedExceptionally();
      assertThat(System.nanoTime()).as("waiting for %d batches", atLeast).isLessThan(deadline);
      sleep(20);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
