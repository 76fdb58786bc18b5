package io.rtx.tools;

import io.rtx.launcher.Secrets;
import io.rtx.testkit.LocalStack;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The system of record under load: ledger transaction committed → its entries on {@code
 * ledger.audit} (the Debezium capture), and a balance read (one indexed row) — the design's query
 * target is under 10 ms.
 */
final class LedgerBench {

  private static final int ACCOUNTS = 20;

  private final LocalStack stack;
  private String house;

  LedgerBench(LocalStack stack) {
    this.stack = stack;
  }

  /**
   * Commit → audit record latency in ms, at {@code rate} transactions per second, after the capture
   * has streamed a first transaction and run {@code warmUp} at that rate.
   */
  Histogram captureLatency(int rate, Duration warmUp, Duration duration) throws Exception {
    setUp();
    Histogram latency = new Histogram(60_000, 3);
    Map<String, Long> committedAt = new ConcurrentHashMap<>();
    AtomicBoolean following = new AtomicBoolean(true);
    AtomicBoolean measuring = new AtomicBoolean(false);
    Thread follower =
        new Thread(
            () ->
                AuditTrail.follow(
                    stack.bootstrapServers(),
                    stack.registryUrl(),
                    following,
                    e -> {
                      Long t0 = committedAt.remove(e.entryId());
                      if (t0 != null && measuring.get()) {
                        latency.recordValue(Math.max(0, (System.nanoTime() - t0) / 1_000_000));
                      }
                    }),
            "bench-ledger-audit");
    follower.start();
    try (Connection c = backOffice();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO transactions.ledger (entry_id, transaction_id, account_id, currency, amount, kind)"
                    + " VALUES (?, ?, ?, 'USD', ?, 'ADJUSTMENT')")) {
      c.setAutoCommit(false);
      // The capture streams (its snapshot is done) once a first transaction comes through.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      do {
        commit(c, insert, committedAt, 0);
        Thread.sleep(500);
      } while (committedAt.size() > 1 && System.nanoTime() < deadline);
      run(c, insert, committedAt, rate, warmUp);
      drain(committedAt);
      measuring.set(true);
      run(c, insert, committedAt, rate, duration);
    }
    drain(committedAt);
    following.set(false);
    follower.join(5_000);
    return latency;
  }

  private void run(
      Connection c,
      PreparedStatement insert,
      Map<String, Long> committedAt,
      int rate,
      Duration duration)
      throws Exception {
    long intervalNanos = 1_000_000_000L / rate;
    long next = System.nanoTime();
    long end = next + duration.toNanos();
    for (long i = 0; System.nanoTime() < end; i++) {
      commit(c, insert, committedAt, i);
      next += intervalNanos;
      LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
    }
  }

  /** One balanced transaction: a client account against the house. */
  private void commit(Connection c, PreparedStatement insert, Map<String, Long> committedAt, long i)
      throws Exception {
    String tx = "BENCH-" + System.nanoTime() + "-" + i;
    leg(insert, tx + ":1", tx, "BENCH-" + (i % ACCOUNTS), "1.00");
    leg(insert, tx + ":2", tx, house, "-1.00");
    insert.executeBatch();
    c.commit();
    committedAt.put(tx + ":1", System.nanoTime());
  }

  private static void drain(Map<String, Long> committedAt) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!committedAt.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  /** {@code reads} balance reads as the back office does them, latency in microseconds. */
  Histogram balanceReads(int reads) throws Exception {
    Histogram latency = new Histogram(10_000_000, 3);
    try (Connection c = backOffice();
        PreparedStatement read =
            c.prepareStatement(
                "SELECT balance FROM accounts.balances WHERE account_id = ? AND currency = 'USD'")) {
      for (int i = 0; i < reads; i++) {
        long t0 = System.nanoTime();
        read.setString(1, "BENCH-" + (i % ACCOUNTS));
        try (ResultSet r = read.executeQuery()) {
          r.next();
        }
        if (i >= reads / 10) { // the first tenth warms up the connection and the JIT
          latency.recordValue((System.nanoTime() - t0) / 1_000);
        }
      }
    }
    return latency;
  }

  private static void leg(
      PreparedStatement insert, String entry, String tx, String account, String amount)
      throws Exception {
    insert.setString(1, entry);
    insert.setString(2, tx);
    insert.setString(3, account);
    insert.setBigDecimal(4, new BigDecimal(amount));
    insert.addBatch();
  }

  private Connection backOffice() throws Exception {
    return DriverManager.getConnection(
        stack.jdbcUrl(),
        Secrets.Role.BACKOFFICE.roleName(),
        stack.settings().secrets().password(Secrets.Role.BACKOFFICE));
  }

  /**
   * A house account (named as {@code ./rtx seed} names it, so the orders phase's seed after this
   * one finds it) and {@link #ACCOUNTS} client accounts of the bench's own.
   */
  private void setUp() throws Exception {
    try (Connection c =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        var s = c.createStatement()) {
      s.execute("INSERT INTO accounts.currencies VALUES ('USD', 2) ON CONFLICT DO NOTHING");
      s.execute(
          "INSERT INTO users.users (login, role, password_hash) VALUES ('bench', 'system',"
              + " crypt(gen_random_uuid()::text, gen_salt('bf', 12))) ON CONFLICT DO NOTHING");
      s.execute(
          "INSERT INTO accounts.accounts (account_id, owner_login, kind, currency)"
              + " SELECT 'HOUSE-USD', 'bench', 'HOUSE', 'USD'"
              + " WHERE NOT EXISTS (SELECT FROM accounts.accounts WHERE kind = 'HOUSE' AND currency = 'USD')"
              + " ON CONFLICT DO NOTHING");
      s.execute(
          "INSERT INTO accounts.accounts (account_id, owner_login, kind, currency)"
              + " SELECT 'BENCH-' || g, 'bench', 'CLIENT', 'USD' FROM generate_series(0, "
              + (ACCOUNTS - 1)
              + ") g ON CONFLICT DO NOTHING");
      try (ResultSet r =
          s.executeQuery(
              "SELECT account_id FROM accounts.accounts WHERE kind = 'HOUSE' AND currency = 'USD'")) {
        r.next();
        house = r.getString(1);
      }
    }
  }
}
