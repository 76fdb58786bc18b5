package io.rtx.copysink;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.sink.SinkRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Not a test: the sink's row rate against a real database, next to a raw COPY baseline into the
 * same table in the same run. Drives {@link CopySinkTask} directly (no Kafka, no Connect) with
 * generated ticks of symbols {@code BENCH-*}; every phase writes {@code rows} new keys (seq
 * continues after the table's maximum for those symbols, so runs can be repeated):
 *
 * <ol>
 *   <li><b>raw COPY</b>: the same COPY text the sink produces, encoded before the clock starts,
 *       {@code COPY table FROM STDIN} per batch of {@code batch} rows, one transaction each; then
 *       once more as a single COPY of all rows (what {@code psql \copy} of a file does). The
 *       ceiling for the sink.
 *   <li><b>direct</b>: the sink with no key in the table yet, so every batch is one COPY into the
 *       table.
 *   <li><b>fallback</b>: the sink after {@code overlap} of every batch was put into the table
 *       (untimed, raw COPY), so every batch's direct COPY fails with a unique violation and the
 *       batch goes through the stage and INSERT ... ON CONFLICT DO NOTHING. Twice: with the
 *       overlapping rows at the start of each batch (a redelivered prefix: the direct COPY fails on
 *       its first row, so this is about the cost of the stage path alone) and at the end (the
 *       direct COPY runs through almost the whole batch before it fails: the worst case).
 * </ol>
 *
 * With {@code --rounds R} the phases run R times, each round starting one phase later (on a shared
 * machine no phase always gets the quiet or the busy slot), and the summary gives median, best and
 * worst per phase; the load average is printed with every round. Times cover {@code put}/{@code
 * flush} (encoding, COPY, commit), not building the records. The table must have market.ticks'
 * columns and key (infra/sql/V001); use a throwaway copy, e.g.
 *
 * <pre>
 * CREATE TABLE market.ticks_bench (LIKE market.ticks INCLUDING ALL);
 * SELECT create_hypertable('market.ticks_bench', 'ts', chunk_time_interval => INTERVAL '1 hour');
 * </pre>
 *
 * Running it:
 *
 * <pre>
 * mvn -B -q -f connectors/copy-sink/pom.xml test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 * RTX_SINK_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/rtx RTX_SINK_JDBC_USER=rtx RTX_SINK_JDBC_PASSWORD=rtx \
 * java -cp connectors/copy-sink/target/test-classes:connectors/copy-sink/target/classes:$(cat connectors/copy-sink/target/test-classpath.txt) \
 *     io.rtx.copysink.CopySinkThroughput [--table market.ticks_bench] [--rows 1000000] [--batch 20000] [--overlap 0.1] [--rounds 1]
 * </pre>
 *
 * {@code --url}, {@code --user} and {@code --password} override the environment.
 */
public final class CopySinkThroughput {

  private static final String[] SYMBOLS = {
    "BENCH-EURUSD",
    "BENCH-GBPUSD",
    "BENCH-USDJPY",
    "BENCH-AUDUSD",
    "BENCH-USDCHF",
    "BENCH-USDCAD",
    "BENCH-NZDUSD",
    "BENCH-EURGBP"
  };
  private static final RowLayout LAYOUT =
      RowLayout.of(Ticks.SCHEMA, List.of(), Set.of("symbol", "seq", "ts"), null);

  private final String url;
  private final String user;
  private final String password;
  private final String table;
  private final int batch;
  private long nextSeq;

  private CopySinkThroughput(String url, String user, String password, String table, int batch) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.table = table;
    this.batch = batch;
  }

  public static void main(String[] args) throws Exception {
    // slf4j-simple (test classpath): no config dumps between the figures; -D...defaultLogLevel=info
    // for them.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        usage("bad argument " + args[i]);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    String url = opts.getOrDefault("url", System.getenv("RTX_SINK_JDBC_URL"));
    if (url == null) {
      usage("no JDBC URL: set RTX_SINK_JDBC_URL or pass --url");
    }
    CopySinkThroughput bench =
        new CopySinkThroughput(
            url,
            opts.getOrDefault("user", System.getenv("RTX_SINK_JDBC_USER")),
            opts.getOrDefault("password", System.getenv("RTX_SINK_JDBC_PASSWORD")),
            opts.getOrDefault("table", "market.ticks"),
            Integer.parseInt(opts.getOrDefault("batch", "20000")));
    int rows = Integer.parseInt(opts.getOrDefault("rows", "1000000"));
    double overlap = Double.parseDouble(opts.getOrDefault("overlap", "0.1"));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "1"));
    if (rows % bench.batch != 0 || overlap <= 0 || overlap >= 1) {
      usage("--rows must be a multiple of --batch, and 0 < --overlap < 1");
    }
    bench.run(rows, overlap, rounds);
  }

  private static void usage(String problem) {
    System.err.println(
        problem
            + "\nusage: CopySinkThroughput [--url JDBC_URL] [--user U] [--password P]"
            + " [--table market.ticks] [--rows 1000000] [--batch 20000] [--overlap 0.1] [--rounds 1]\n"
            + "  url, user, password default to RTX_SINK_JDBC_URL, RTX_SINK_JDBC_USER, RTX_SINK_JDBC_PASSWORD");
    System.exit(2);
  }

  /** One phase of a round: writes {@code rows} new keys and says how it went. */
  private interface Phase {
    Result run(int rows) throws Exception;
  }

  private record Result(double seconds, long records, long inserted, String counters) {
    double recordsPerSecond() {
      return records / seconds;
    }
  }

  private void run(int rows, double overlap, int rounds) throws Exception {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT coalesce(max(seq), 0) + 1 FROM " + table + " WHERE symbol LIKE 'BENCH-%'")) {
        rs.next();
        nextSeq = rs.getLong(1);
      }
      try (ResultSet rs = st.executeQuery("SELECT version()")) {
        rs.next();
        System.out.printf(
            "%s%ninto %s: %d rows per phase and round, %d rounds, batches of %d, keys from seq"
                + " %d; load average %s%n",
            rs.getString(1), table, rows, rounds, batch, nextSeq, loadAverage());
      }
    }
    int perBatch = (int) Math.max(1, Math.round(batch * overlap));
    Map<String, Phase> phases = new LinkedHashMap<>();
    phases.put(
        "raw COPY, " + batch + " rows per COPY and transaction",
        n -> rawCopy(encode(nextKeys(n)), batch));
    phases.put(
        "raw COPY, all rows in one COPY and transaction", n -> rawCopy(encode(nextKeys(n)), n));
    phases.put("sink, direct path", n -> sink(records(nextKeys(n))));
    phases.put(
        String.format(
            "sink, fallback path (%d of each batch's %d rows in the table, at its start)",
            perBatch, batch),
        n -> fallback(n, perBatch, true));
    phases.put(
        String.format(
            "sink, fallback path (%d of each batch's %d rows in the table, at its end)",
            perBatch, batch),
        n -> fallback(n, perBatch, false));

    // Warm-up (JIT, connections, catalog caches): a few batches each way, untimed.
    rawCopy(encode(nextKeys(3 * batch)), batch);
    sink(records(nextKeys(3 * batch)));

    Map<String, List<Result>> results = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      System.out.printf("round %d (load average %s)%n", round, loadAverage());
      // Each round starts with the next phase: none always runs first or right after another.
      List<Map.Entry<String, Phase>> order = new ArrayList<>(phases.entrySet());
      java.util.Collections.rotate(order, -(round - 1));
      for (Map.Entry<String, Phase> phase : order) {
        Result r = phase.getValue().run(rows);
        results.computeIfAbsent(phase.getKey(), k -> new ArrayList<>()).add(r);
        System.out.printf(
            "  %-90s %8d records in %6.2f s: %7.0f records/s, %7.0f rows inserted/s%s%n",
            phase.getKey(),
            r.records(),
            r.seconds(),
            r.recordsPerSecond(),
            r.inserted() / r.seconds(),
            r.counters() == null ? "" : " " + r.counters());
      }
    }
    System.out.printf("records/s over %d rounds (load average now %s):%n", rounds, loadAverage());
    for (Map.Entry<String, List<Result>> e : results.entrySet()) {
      double[] rates =
          e.getValue().stream().mapToDouble(Result::recordsPerSecond).sorted().toArray();
      double median =
          rates.length % 2 == 1
              ? rates[rates.length / 2]
              : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
      System.out.printf(
          "  %-90s median %7.0f  best %7.0f  worst %7.0f%n",
          e.getKey(), median, rates[rates.length - 1], rates[0]);
    }
  }

  /**
   * The sink over {@code rows} new keys after {@code perBatch} of each batch were put into the
   * table.
   */
  private Result fallback(int rows, int perBatch, boolean atStart) throws Exception {
    long[] keys = nextKeys(rows);
    long[] present = new long[rows / batch * perBatch];
    int n = 0;
    for (int b = 0; b < rows; b += batch) {
      int from = atStart ? b : b + batch - perBatch;
      for (int i = from; i < from + perBatch; i++) {
        present[n++] = keys[i];
      }
    }
    rawCopy(encode(present), batch); // untimed
    return sink(records(keys));
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0]
          + " "
          + parts[1]
          + " "
          + parts[2]
          + " on "
          + Runtime.getRuntime().availableProcessors()
          + " cores";
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The next {@code n} seq numbers. */
  private long[] nextKeys(int n) {
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = nextSeq++;
    }
    return keys;
  }

  /** The tick of key {@code seq}: symbols take turns. */
  private static org.apache.kafka.connect.data.Struct tick(long seq) {
    return Ticks.tick(SYMBOLS[(int) (seq % SYMBOLS.length)], seq);
  }

  private static List<SinkRecord> records(long[] seqs) {
    List<SinkRecord> records = new ArrayList<>(seqs.length);
    for (long seq : seqs) {
      records.add(Ticks.record(tick(seq), (int) (seq % 6), seq));
    }
    return records;
  }

  /** The rows as the sink would write them. */
  private static String encode(long[] seqs) {
    StringBuilder out = new StringBuilder(seqs.length * 140);
    for (long seq : seqs) {
      LAYOUT.appendRow(out, tick(seq));
    }
    return out.toString();
  }

  /**
   * COPYs {@code text} into the table, {@code perCopy} rows per COPY and transaction; times the
   * COPYs.
   */
  private Result rawCopy(String text, int perCopy) throws SQLException, IOException {
    List<String> chunks = new ArrayList<>();
    int start = 0;
    int rows = 0;
    int total = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        total++;
        if (++rows == perCopy) {
          chunks.add(text.substring(start, i + 1));
          start = i + 1;
          rows = 0;
        }
      }
    }
    if (start < text.length()) {
      chunks.add(text.substring(start));
    }
    String columns = String.join(", ", LAYOUT.columns().stream().map(PgCopyWriter::quote).toList());
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      long t0 = System.nanoTime();
      for (String chunk : chunks) {
        copy.copyIn(
            "COPY " + table + " (" + columns + ") FROM STDIN", new StringReader(chunk), 1 << 16);
        c.commit();
      }
      return new Result((System.nanoTime() - t0) / 1e9, total, total, null);
    }
  }

  /**
   * Puts the records through a fresh task in batches of {@code batch}; times put and flush only.
   */
  private Result sink(List<SinkRecord> records) {
    CopySinkTask task = new CopySinkTask();
    task.initialize(new StubContext(false));
    Map<String, String> props =
        new HashMap<>(
            Map.of(
                "connection.url",
                url,
                "table",
                table,
                "key.columns",
                "symbol,seq,ts",
                "flush.max.records",
                String.valueOf(batch)));
    if (user != null) {
      props.put("connection.username", user);
    }
    if (password != null) {
      props.put("connection.password", password);
    }
    task.start(props);
    long nanos = 0;
    try {
      for (int i = 0; i < records.size(); i += batch) {
        List<SinkRecord> chunk = records.subList(i, Math.min(records.size(), i + batch));
        long t0 = System.nanoTime();
        task.put(chunk);
        nanos += System.nanoTime() - t0;
      }
      long t0 = System.nanoTime();
      task.flush(Map.of());
      nanos += System.nanoTime() - t0;
      long inserted = task.rowsWrittenDirect() + task.rowsWrittenByFallback();
      return new Result(
          nanos / 1e9,
          records.size(),
          inserted,
          String.format(
              "[%d batches direct, %d fell back]",
              task.batchesWrittenDirect(), task.batchesFellBack()));
    } finally {
      task.stop();
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }
}
