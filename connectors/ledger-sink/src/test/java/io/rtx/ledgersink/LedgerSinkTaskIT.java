package io.rtx.ledgersink;

import static io.rtx.ledgersink.LedgerRecords.leg;
import static io.rtx.ledgersink.LedgerRecords.raw;
import static io.rtx.ledgersink.LedgerRecords.trade;
import static io.rtx.ledgersink.LedgerRecords.transaction;
import static io.rtx.ledgersink.LedgerSinkFixture.CLIENT_QLB;
import static io.rtx.ledgersink.LedgerSinkFixture.CLIENT_QLS;
import static io.rtx.ledgersink.LedgerSinkFixture.HOUSE_QLB;
import static io.rtx.ledgersink.LedgerSinkFixture.HOUSE_QLS;
import static io.rtx.ledgersink.LedgerSinkFixture.QLB;
import static io.rtx.ledgersink.LedgerSinkFixture.QLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.schemas.Component;
import io.rtx.schemas.LedgerEntryKind;
import io.rtx.schemas.LedgerLeg;
import io.rtx.schemas.LedgerTransaction;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link LedgerSinkTask} against the project's PostgreSQL (the test kit's shared stack, migrations
 * applied), connected as {@code rtx_sink} as the deployed connector is: what lands, what a
 * redelivery does, what the ledger refuses. Currencies QLS and QLB and accounts LSIT-* are these
 * tests' own; the outage case is {@link LedgerSinkOutageIT}, on a stack of its own.
 */
@UsesLocalStack({Component.POSTGRES})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerSinkTaskIT {

  private final LedgerSinkFixture fixture;
  private final LedgerRecords records = new LedgerRecords();
  private final List<LedgerSinkTask> tasks = new ArrayList<>();

  LedgerSinkTaskIT(LocalStack stack) {
    this.fixture = new LedgerSinkFixture(stack);
  }

  @BeforeAll
  void referenceData() throws SQLException {
    fixture.referenceData();
  }

  @BeforeEach
  void newRun() {
    fixture.nextRun();
  }

  @AfterEach
  void stopTasksAndCheckBalances() throws SQLException {
    tasks.forEach(LedgerSinkTask::stop);
    tasks.clear();
    fixture.assertBalancesMatchTheLedger();
  }

  private LedgerSinkTask task(StubContext context) {
    LedgerSinkTask task = new LedgerSinkTask();
    task.initialize(context);
    task.start(fixture.sinkSettings());
    tasks.add(task);
    return task;
  }

  /** Records of {@code txs} on partition 0, from offset {@code first}. */
  private List<SinkRecord> records(long first, LedgerTransaction... txs) {
    List<SinkRecord> out = new ArrayList<>();
    for (LedgerTransaction tx : txs) {
      out.add(records.record(tx, 0, first + out.size()));
    }
    return out;
  }

  /** The rows {@code txs} book, as {@link LedgerSinkFixture#rows()} reads them. */
  private static List<List<String>> expectedRows(LedgerTransaction... txs) {
    List<List<String>> rows = new ArrayList<>();
    for (LedgerTransaction tx : txs) {
      for (LedgerLeg leg : tx.getLegs()) {
        List<String> row = new ArrayList<>();
        row.add(leg.getEntryId());
        row.add(tx.getTransactionId());
        row.add(leg.getAccountId());
        row.add(leg.getCurrency());
        row.add(leg.getAmount().toPlainString());
        row.add(leg.getKind().name());
        row.add(tx.getReference());
        row.add(tx.getCreatedAt().toString());
        row.add("rtx_sink");
        rows.add(row);
      }
    }
    rows.sort(Comparator.comparing(r -> r.get(0)));
    return rows;
  }

  @Test
  void everyLegLandsWithExactAmountsAndTheBatchIsOneDatabaseTransaction() throws SQLException {
    LedgerTransaction big =
        trade(fixture.tx("BIG"), CLIENT_QLS, HOUSE_QLS, QLS, "987654321098765.43");
    LedgerTransaction fine =
        trade(fixture.tx("FINE"), CLIENT_QLB, HOUSE_QLB, QLB, "-123456789012.12345678");
    LedgerTransaction satoshi = trade(fixture.tx("SAT"), CLIENT_QLB, HOUSE_QLB, QLB, "0.00000001");
    // A fill's realized P&L and fee on the client, the house opposite, no reference.
    String fill = fixture.tx("FILL");
    LedgerTransaction threeLegs =
        transaction(
            fill,
            null,
            leg(fill + ":pnl", CLIENT_QLS, QLS, "250.10", LedgerEntryKind.TRADE),
            leg(fill + ":fee", CLIENT_QLS, QLS, "-1.25", LedgerEntryKind.FEE),
            leg(fill + ":house", HOUSE_QLS, QLS, "-248.85", LedgerEntryKind.TRADE));
    threeLegs.setCreatedAt(Instant.parse("2026-12-31T23:59:59.999Z"));
    String clientBefore = fixture.balance(CLIENT_QLS);

    LedgerSinkTask task = task(new StubContext(true));
    task.put(records(0, big, fine, satoshi, threeLegs));

    assertThat(fixture.rows()).isEqualTo(expectedRows(big, fine, satoshi, threeLegs));
    assertThat(
            fixture.databaseTransactions(
                List.of(
                    big.getTransactionId(),
                    fine.getTransactionId(),
                    satoshi.getTransactionId(),
                    fill)))
        .as("one database transaction for the batch")
        .isOne();
    assertThat(new BigDecimal(fixture.balance(CLIENT_QLS)))
        .isEqualByComparingTo(
            new BigDecimal(clientBefore)
                .add(new BigDecimal("987654321098765.43"))
                .add(new BigDecimal("248.85")));
    assertThat(task.booked()).isEqualTo(4);
    assertThat(task.refused()).isZero();
  }

  @Test
  void aRedeliveredBatchInsertsNothingTwice() throws SQLException {
    LedgerTransaction a = trade(fixture.tx("A"), CLIENT_QLS, HOUSE_QLS, QLS, "100.00");
    LedgerTransaction b = trade(fixture.tx("B"), CLIENT_QLS, HOUSE_QLS, QLS, "-40.50");
    LedgerTransaction c = trade(fixture.tx("C"), CLIENT_QLB, HOUSE_QLB, QLB, "0.5");
    LedgerTransaction d = trade(fixture.tx("D"), CLIENT_QLS, HOUSE_QLS, QLS, "7.77");
    StubContext context = new StubContext(true);
    LedgerSinkTask task = task(context);
    task.put(records(0, a, b, c));
    String clientAfterFirst = fixture.balance(CLIENT_QLS);

    // After a crash before the offset commit, or a rebalance: the same records again, whole or
    // partly, here in a new task as after a restart, and with a record that is new.
    task.put(records(0, a, b, c));
    LedgerSinkTask restarted = task(context);
    List<SinkRecord> overlapping = new ArrayList<>(records(0, a, b, c).subList(1, 3));
    overlapping.addAll(records(3, d));
    restarted.put(overlapping);

    assertThat(fixture.rows()).isEqualTo(expectedRows(a, b, c, d));
    assertThat(new BigDecimal(fixture.balance(CLIENT_QLS)))
        .isEqualByComparingTo(new BigDecimal(clientAfterFirst).add(new BigDecimal("7.77")));
    assertThat(context.reported).isEmpty();
    assertThat(task.batchesRetriedOneByOne() + restarted.batchesRetriedOneByOne()).isZero();
  }

  @Test
  void recordsTheLedgerRefusesGoToTheReporterWithTheReasonAndTheRestLands() throws SQLException {
    LedgerTransaction good1 = trade(fixture.tx("G1"), CLIENT_QLS, HOUSE_QLS, QLS, "10.00");
    String u = fixture.tx("UNBALANCED");
    LedgerTransaction unbalanced =
        transaction(
            u,
            null,
            leg(u + ":1", CLIENT_QLS, QLS, "10.00", LedgerEntryKind.TRADE),
            leg(u + ":2", HOUSE_QLS, QLS, "-9.99", LedgerEntryKind.TRADE));
    LedgerTransaction unknownAccount =
        trade(fixture.tx("NOBODY"), "LSIT-NOBODY", HOUSE_QLS, QLS, "5.00");
    LedgerTransaction good2 = trade(fixture.tx("G2"), CLIENT_QLB, HOUSE_QLB, QLB, "0.12345678");
    LedgerTransaction wrongCurrency =
        trade(fixture.tx("WRONGCCY"), CLIENT_QLS, HOUSE_QLB, QLB, "1.00");
    LedgerTransaction tooFine = trade(fixture.tx("TOOFINE"), CLIENT_QLS, HOUSE_QLS, QLS, "1.005");
    LedgerTransaction good3 = trade(fixture.tx("G3"), CLIENT_QLS, HOUSE_QLS, QLS, "-3.00");
    List<SinkRecord> batch =
        new ArrayList<>(
            records(100, good1, unbalanced, unknownAccount, good2, wrongCurrency, tooFine));
    SinkRecord tombstone = raw(null, null, 0, 106);
    batch.add(tombstone);
    batch.addAll(records(107, good3));
    StubContext context = new StubContext(true);
    LedgerSinkTask task = task(context);

    task.put(batch);

    assertThat(fixture.rows()).isEqualTo(expectedRows(good1, good2, good3));
    assertThat(context.reported)
        .containsExactly(batch.get(1), batch.get(2), batch.get(4), batch.get(5), tombstone);
    List<String> reasons = context.reasons.stream().map(Throwable::getMessage).toList();
    assertThat(reasons.get(0))
        .startsWith("the ledger refused it: SQLState 23514")
        .contains("transaction " + u + " does not balance: QLS sums to 0.01");
    assertThat(reasons.get(1))
        .startsWith("the ledger refused it: SQLState 23")
        .contains("LSIT-NOBODY");
    assertThat(reasons.get(2))
        .startsWith("the ledger refused it: SQLState 23514")
        .contains("is in QLB, account " + CLIENT_QLS + " is in QLS");
    assertThat(reasons.get(3))
        .startsWith("the ledger refused it: SQLState 23514")
        .contains("has more than 2 decimals");
    assertThat(reasons.get(4)).contains("tombstone");
    assertThat(task.refused()).isEqualTo(5);
    assertThat(task.batchesRetriedOneByOne()).isOne();

    // The next batch goes in one transaction again.
    LedgerTransaction good4 = trade(fixture.tx("G4"), CLIENT_QLS, HOUSE_QLS, QLS, "1.00");
    task.put(records(108, good4));
    assertThat(fixture.rows()).isEqualTo(expectedRows(good1, good2, good3, good4));
    assertThat(task.batchesRetriedOneByOne()).isOne();
  }

  @Test
  void withoutAReporterARefusedRecordFailsTheTaskAndNothingOfItLands() throws SQLException {
    LedgerTransaction good = trade(fixture.tx("G"), CLIENT_QLS, HOUSE_QLS, QLS, "2.00");
    String u = fixture.tx("UNBALANCED");
    LedgerTransaction unbalanced =
        transaction(u, null, leg(u + ":1", CLIENT_QLS, QLS, "2.00", LedgerEntryKind.TRADE));
    LedgerTransaction after = trade(fixture.tx("AFTER"), CLIENT_QLS, HOUSE_QLS, QLS, "3.00");
    LedgerSinkTask task = task(new StubContext(false));

    assertThatThrownBy(() -> task.put(records(20, good, unbalanced, after)))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("record at topic ledger.entries partition 0 offset 21")
        .hasMessageContaining("does not balance")
        .hasMessageContaining("errant record reporter");
    // What landed before it is skipped when Connect delivers the batch again.
    assertThat(fixture.rows()).isEqualTo(expectedRows(good));
  }

  @Test
  void aTableWithAnotherUniqueKeyOrNoneIsRefusedBeforeAnythingIsWritten() {
    // The insert names no conflict target: only a table unique on entry_id alone is safe for it.
    List<SinkRecord> batch =
        records(30, trade(fixture.tx("NOWHERE"), CLIENT_QLS, HOUSE_QLS, QLS, "1.00"));
    for (String[] table :
        List.of(
            new String[] {"market.ticks", "it has (symbol, seq, ts)"},
            new String[] {"transactions.nothing", "does not exist"})) {
      LedgerSinkTask task = new LedgerSinkTask();
      task.initialize(new StubContext(true));
      Map<String, String> props = fixture.sinkSettings();
      props.put("table", table[0]);
      task.start(props);
      tasks.add(task);
      assertThatThrownBy(() -> task.put(batch))
          .as(table[0])
          .isInstanceOf(ConnectException.class)
          .isNotInstanceOf(RetriableException.class)
          .hasMessageContaining(table[1]);
    }
  }
}
