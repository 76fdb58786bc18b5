package io.rtx.connect.copysink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Not a test: drives {@link CopySinkTask} directly (no Kafka, no Connect) with generated ticks and prints the row
 * rate, for comparing with other ways of landing rows. The table must exist (infra/sql/V001 for market.ticks);
 * seq numbers continue after the table's maximum so repeated runs insert new rows.
 *
 * <pre>
 * mvn -B -q -f connectors/copy-sink/pom.xml test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 * java -cp connectors/copy-sink/target/test-classes:connectors/copy-sink/target/classes:$(cat connectors/copy-sink/target/test-classpath.txt) \
 *     io.rtx.connect.copysink.CopySinkThroughput jdbc:postgresql://127.0.0.1:5432/rtx rtx rtx [records=1000000] [flush.max.records=20000] [redeliver=false]
 * </pre>
 * With {@code redeliver=true} every batch is put twice, so half the rows hit ON CONFLICT DO NOTHING.
 */
public final class CopySinkThroughput {

    private CopySinkThroughput() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: CopySinkThroughput JDBC_URL USER PASSWORD [records] [flush.max.records] [redeliver]");
            System.exit(2);
        }
        String url = args[0];
        int records = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 20_000;
        boolean redeliver = args.length > 5 && Boolean.parseBoolean(args[5]);
        long firstSeq;
        try (Connection c = DriverManager.getConnection(url, args[1], args[2]); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) + 1 FROM market.ticks")) {
            rs.next();
            firstSeq = rs.getLong(1);
        }
        String[] symbols = {"EURUSD", "GBPUSD", "USDJPY", "AUDUSD", "USDCHF", "USDCAD", "NZDUSD", "EURGBP"};

        CopySinkTask task = new CopySinkTask();
        task.initialize(new StubContext(false));
        task.start(Map.of("connection.url", url, "connection.username", args[1], "connection.password", args[2],
                "table", "market.ticks", "key.columns", "symbol,seq,ts", "flush.max.records", String.valueOf(batch)));
        long start = System.nanoTime();
        try {
            for (int done = 0; done < records; done += batch) {
                List<SinkRecord> chunk = new ArrayList<>(batch);
                for (int i = done; i < Math.min(records, done + batch); i++) {
                    long seq = firstSeq + i;
                    Struct tick = Ticks.tick(symbols[i % symbols.length], seq);
                    chunk.add(Ticks.record(tick, i % 6, seq));
                }
                task.put(chunk);
                if (redeliver) {
                    task.put(chunk);
                }
            }
            task.flush(Map.of());
        } finally {
            task.stop();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d records (%s) in %.2f s: %.0f records/s%n", records,
                redeliver ? "each put twice" : "each put once", seconds, records / seconds);
    }
}
