package io.rtx.tools;

import io.rtx.common.ConsumerLag;
import io.rtx.launcher.ConnectClient;
import io.rtx.launcher.RedisUser;
import io.rtx.ops.PipelineProbe;
import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * {@code ./rtx bench}: measures the market data path on a private stack (free ports, own data,
 * wiped afterwards) and prints a table. Not a test: figures depend on the machine, and nothing here
 * asserts them.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark ingestion, the candle app, quote latency and the sinks on a private local stack.")
public final class BenchCommand implements Callable<Integer> {

  /** The phases, in the order {@link #call} runs them. */
  static final List<String> PHASES = List.of("orders", "latency", "ledger", "ingest", "sustained");

  @Spec CommandSpec spec;

  private long ticks;
  private List<Instrument> instruments;
  private long latencyRate;
  private Duration latencyFor;
  private Duration warmup;
  private int repeats;
  private Path profileDir;
  private final List<Path> profiles = new ArrayList<>();
  private List<String> phases;
  private int orderRate;
  private int orderCount;
  private int ledgerRate;
  private long sustainRate;
  private Duration sustainFor;

  @Option(
      names = "--ticks",
      defaultValue = "1000000",
      description = "Ticks per throughput phase (default: ${DEFAULT-VALUE}).")
  void ticks(long value) {
    ticks = Flags.atLeast(spec, "--ticks", value, 1);
  }

  @Option(
      names = "--symbols",
      defaultValue = "20",
      description = "Symbols, each once, or a count (default: ${DEFAULT-VALUE}).")
  void symbols(String value) {
    instruments = Flags.instruments(spec, "--symbols", value);
  }

  @Option(
      names = "--latency-rate",
      defaultValue = "5000",
      description = "Ticks/s during the latency phase (default: ${DEFAULT-VALUE}).")
  void latencyRate(long value) {
    latencyRate = Flags.atLeast(spec, "--latency-rate", value, 1);
  }

  @Option(
      names = "--latency-duration",
      defaultValue = "30s",
      description = "Length of the latency phase (default: ${DEFAULT-VALUE}).")
  void latencyDuration(String value) {
    latencyFor = Flags.positiveDuration(spec, "--latency-duration", value);
  }

  @Option(
      names = "--warmup",
      defaultValue = "20s",
      description = "Steady feed before the latency phase measures (default: ${DEFAULT-VALUE}).")
  void warmup(String value) {
    warmup = Flags.positiveDuration(spec, "--warmup", value);
  }

  @Option(
      names = "--repeats",
      defaultValue = "3",
      description =
          "Measured windows of the latency phase; each row gives the median and range (default:"
              + " ${DEFAULT-VALUE}).")
  void repeats(int value) {
    repeats = Flags.atLeast(spec, "--repeats", value, 1);
  }

  @Option(
      names = "--profile",
      paramLabel = "DIR",
      description =
          "Record JDK Flight Recorder profiles of the sinks and the candle app during their"
              + " throughput phases into DIR and print their top frames.")
  void profile(Path dir) {
    profileDir = dir;
  }

  @Option(
      names = "--latency-only",
      description = "Run only the latency phase (same as --phases latency).")
  boolean latencyOnly;

  @Option(
      names = "--phases",
      split = ",",
      defaultValue = "latency,ingest,sustained,ledger,orders",
      description =
          "Phases to run, of: latency, ingest, sustained, ledger, orders (default:"
              + " ${DEFAULT-VALUE}).")
  void phases(List<String> wanted) {
    for (String phase : wanted) {
      if (!PHASES.contains(phase)) {
        throw Flags.bad(
            spec, "--phases: unknown phase '" + phase + "'; phases: " + String.join(",", PHASES));
      }
    }
    phases = wanted;
  }

  @Option(
      names = "--sustain-rate",
      defaultValue = "100000",
      description =
          "Ticks/s offered during the sustained phase; the generator sends slower if it cannot"
              + " keep up (default: ${DEFAULT-VALUE}).")
  void sustainRate(long value) {
    sustainRate = Flags.atLeast(spec, "--sustain-rate", value, 1);
  }

  @Option(
      names = "--sustain-for",
      defaultValue = "5m",
      description = "Length of the sustained phase (default: ${DEFAULT-VALUE}).")
  void sustainFor(String value) {
    sustainFor = Flags.positiveDuration(spec, "--sustain-for", value);
  }

  @Option(
      names = "--order-rate",
      defaultValue = "1000",
      description = "Orders/s during the order-decision latency phase (default: ${DEFAULT-VALUE}).")
  void orderRate(int value) {
    orderRate = Flags.atLeast(spec, "--order-rate", value, 1);
  }

  @Option(
      names = "--orders",
      defaultValue = "100000",
      description = "Orders of the orders throughput phase (default: ${DEFAULT-VALUE}).")
  void orderCount(int value) {
    orderCount = Flags.atLeast(spec, "--orders", value, 1);
  }

  @Option(
      names = "--ledger-rate",
      defaultValue = "100",
      description = "Ledger transactions/s during the ledger phase (default: ${DEFAULT-VALUE}).")
  void ledgerRate(int value) {
    ledgerRate = Flags.atLeast(spec, "--ledger-rate", value, 1);
  }

  @Option(
      names = "--brokers",
      defaultValue = "1",
      description =
          "Brokers of the private stack's Kafka cluster: 1, or 3 to 5 (replication 3,"
              + " min.insync.replicas 2), as RTX_BROKERS (default: ${DEFAULT-VALUE}).")
  void brokers(int value) {
    brokers = Flags.within(spec, "--brokers", value, 1, 5);
    if (brokers == 2) {
      throw Flags.bad(spec, "--brokers: 1, or 3 to 5 (a KRaft quorum of 2 stops when either does)");
    }
  }

  @Option(
      names = "--instances",
      defaultValue = "1",
      description =
          "Processes of each Streams app and Connect workers of the private stack, 1 to 4, as"
              + " RTX_INSTANCES (default: ${DEFAULT-VALUE}).")
  void instances(int value) {
    instances = Flags.within(spec, "--instances", value, 1, 4);
  }

  private int brokers = 1;
  private int instances = 1;

  private static final Pattern TS = Pattern.compile("\"ts\":(\\d+)");
  private static final String GROUP_JDBC = Names.sinkGroup("rtx-ticks-sink");
  private static final String GROUP_COPY = Names.sinkGroup("rtx-ticks-copy-sink");
  private static final String GROUP_CANDLES = Component.CANDLES.applicationId().orElseThrow();

  /** The candles app's default candles.grace: a window's final candle is due this long after it. */
  private static final long CANDLE_GRACE_MS = 5_000;

  /**
   * One line of the table. {@code against} is the reference and the goal beside the result,
   * computed when the table prints: some references (the plain consumer, the bare COPY) are
   * measured after the rows that compare with them.
   */
  private record Row(String measure, String result, Supplier<String> against, String how) {}

  /**
   * Issue "Performance": the candle app's goal, Apache Flink's rate for 1m OHLC on this kind of
   * machine.
   */
  private static final double CANDLE_APP_GOAL = 400_000;

  private static final double INGEST_GOAL = 100_000;
  private static final long MEMORY_GOAL_BYTES = 2L << 30;

  private final List<Row> rows = new ArrayList<>();
  private double plainConsumerRate = Double.NaN; // ticks/s, once measured
  private double streamsFloorRate = Double.NaN; // ticks/s, once measured
  private double copyBaselineRate = Double.NaN; // rows/s, once measured
  private LocalStack stack;
  private Admin admin;

  @Override
  public Integer call() throws Exception {
    if (profileDir != null) {
      Files.createDirectories(profileDir);
    }
    progress("starting a private stack (about a minute)");
    stack = LocalStack.isolated(brokers, instances);
    try {
      // the orders app runs only for the orders phase, which comes first: its venue simulator
      // reads market.ticks from the start (it would chew through the other phases' ticks), and
      // beside the other phases it would only take CPU
      stack.ensure(EnumSet.complementOf(EnumSet.of(Component.ORDERS)));
      admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
      stack.deployConnectors();
      ConnectClient connect = stack.stack().connect();
      sql(
          "CREATE TABLE IF NOT EXISTS market.ticks_copy (LIKE market.ticks INCLUDING ALL)",
          "SELECT create_hypertable('market.ticks_copy', 'ts', chunk_time_interval => INTERVAL '1 hour', if_not_exists => true)",
          "CREATE TABLE IF NOT EXISTS market.ticks_raw (LIKE market.ticks INCLUDING ALL)",
          "SELECT create_hypertable('market.ticks_raw', 'ts', chunk_time_interval => INTERVAL '1 hour', if_not_exists => true)",
          // the bench's second COPY sink lands here as the sinks' role
          "GRANT SELECT, INSERT, UPDATE ON market.ticks_copy TO rtx_sink");

      if (latencyOnly) {
        phases = List.of("latency");
      }
      if (phases.contains("orders")) {
        stack.ensure(EnumSet.of(Component.ORDERS));
        orders(latencyFor);
        stack.stop(Component.ORDERS);
      }
      if (phases.contains("latency")) {
        latency(latencyFor);
      }
      if (phases.contains("ledger")) {
        ledger(latencyFor);
      }
      if (phases.contains("ingest") || phases.contains("sustained")) {
        StackUsage throughputPhases = usage();
        if (phases.contains("ingest")) {
          ingest(connect);
        }
        if (phases.contains("sustained")) {
          sustained(connect);
        }
        memoryRow(throughputPhases.stop());
      }
      print();
      printProfiles();
      return 0;
    } finally {
      if (admin != null) {
        admin.close();
      }
      progress("stopping the private stack");
      stack.close();
    }
  }

  // ----------------------------------------------------------------------------------------------
  // phases

  /** The stack's peak memory over the throughput phases. */
  private void memoryRow(StackUsage.Report used) {
    rows.add(
        new Row(
            "memory of the whole stack, peak during the throughput phases",
            String.format(
                "%.2f GB (PSS of its %d processes)",
                used.peakBytes() / (double) (1L << 30), used.stackProcesses()),
            () -> verdict(used.peakBytes() <= MEMORY_GOAL_BYTES) + "goal ≤ 2 GB at the 100k/s load",
            used.memoryByProcess()));
  }

  /**
   * Ingestion end to end and each sink, the candle app and a bare COPY catching up on a backlog.
   */
  private void ingest(ConnectClient connect) throws Exception {
    endToEnd("JDBC sink (Debezium, upsert)", GROUP_JDBC);
    progress(
        "pausing the sinks and the apps; queueing " + ticks + " ticks for the catch-up phases");
    connect.pause("rtx-ticks-sink");
    connect.pause("rtx-candles-sink");
    stack.stop(Component.CANDLES);
    stack.stop(Component.QUOTES);
    publish(ticks);
    connect.resume("rtx-ticks-sink");
    try (var profile = profile(Component.CONNECT, "jdbc-sink")) {
      catchUp(
          "JDBC sink alone (Debezium, upsert, 2 tasks)",
          GROUP_JDBC,
          "rows/s",
          rate -> ratio(rate, copyBaselineRate, "the bare COPY") + "no goal");
    }
    connect.pause("rtx-ticks-sink");
    deployCopySink(connect);
    try (var profile = profile(Component.CONNECT, "copy-sink")) {
      catchUp(
          "COPY sink alone (rtx-copy-sink, 2 tasks, whole topic)",
          GROUP_COPY,
          "rows/s",
          rate ->
              ratio(rate, copyBaselineRate, "the bare COPY")
                  + verdict(rate >= 0.9 * copyBaselineRate)
                  + "goal ≥ 0.9×");
    }
    candleApp("exactly_once_v2", "exactly-once", null);
    candleApp("at_least_once", "at-least-once", null);
    candleApp("exactly_once_v2", "exactly-once, 1m candles only", "1m");
    plainConsumer();
    streamsFloor();
    stack.ensure(List.of(Component.CANDLES));
    progress("the stack's candle app catching up before the last phase");
    waitCaughtUp(GROUP_CANDLES, Duration.ofMinutes(30), null);
    copyBaseline();
    stack.ensure(List.of(Component.QUOTES));
    endToEnd("COPY sink (rtx-copy-sink; JDBC ticks sink paused)", GROUP_COPY);
  }

  /** The bench's COPY sink, landing market.ticks in market.ticks_copy. */
  private void deployCopySink(ConnectClient connect) {
    connect.deploy(
        "rtx-ticks-copy-sink",
        stack.repo().resolve("connectors/rtx-ticks-copy-sink.json.example"),
        Map.of("table", "market.ticks_copy"));
  }

  /**
   * Ticks offered at a steady rate (100,000/s) for a while (5 minutes) through the COPY sink, with
   * the candles and quotes apps running: what landed per second over that window, and what was
   * still behind at its end.
   */
  private void sustained(ConnectClient connect) throws Exception {
    connect.pause("rtx-ticks-sink");
    deployCopySink(connect);
    stack.ensure(List.of(Component.CANDLES, Component.QUOTES));
    if (ticksWritten() > committed(GROUP_COPY)) {
      progress("sustained: the COPY sink catching up on what earlier phases sent");
      waitCaughtUp(GROUP_COPY, Duration.ofMinutes(30), null);
    }
    progress(
        String.format(
            "sustained: %,d ticks/s offered for %ds, COPY sink, candles and quotes running",
            sustainRate, sustainFor.toSeconds()));
    long landedBefore = committed(GROUP_COPY);
    StackUsage usage = usage();
    SimulateCommand.Report sent =
        SimulateCommand.run(
            SimulateCommand.Options.of(feeds(System.nanoTime()), producer())
                .runFor(sustainFor)
                .atRate(sustainRate)
                .quietly());
    long landed = committed(GROUP_COPY) - landedBefore;
    StackUsage.Report used = usage.stop();
    long behind = lagOrMinus(GROUP_COPY);
    double seconds = sent.elapsed().toNanos() / 1e9;
    double rate = landed / seconds;
    double offered = sent.sent() / seconds;
    rows.add(
        new Row(
            String.format(
                "ticks landed end to end for %s, COPY sink, candles and quotes running",
                sustainFor.toMinutes() > 0 && sustainFor.toSecondsPart() == 0
                    ? sustainFor.toMinutes() + " min"
                    : sustainFor.toSeconds() + " s"),
            String.format("%,.0f ticks/s", rate),
            () ->
                String.format("published at %,.0f/s of %,d offered; ", offered, sustainRate)
                    + verdict(rate >= INGEST_GOAL)
                    + "goal ≥ 100,000 ticks/s for 5 minutes",
            String.format(
                "%,d ticks landed of %,d sent in %.0fs, %,d behind at the end; %s: %s",
                landed, sent.sent(), seconds, behind, used.machine(), used.cpuByProcess())));
  }

  /** Offsets of market.ticks the group has committed, summed over partitions. */
  private long committed(String group) throws Exception {
    return ConsumerLag.committed(admin, group).entrySet().stream()
        .filter(e -> e.getKey().topic().equals(Topics.MARKET_TICKS.name()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Records ever written to market.ticks: its end offsets, summed over partitions. */
  private long ticksWritten() throws Exception {
    return ConsumerLag.endOffsets(admin, Topics.MARKET_TICKS.name()).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /**
   * The candle app alone on the whole of market.ticks, under a fresh application id, with one
   * processing guarantee; both guarantees commit every 100 ms, so they are measured alike. {@code
   * intervals}, when not null, replaces the app's intervals (Apache Flink's reference computes 1m
   * candles only).
   */
  private void candleApp(String guarantee, String label, String intervals) throws Exception {
    String slug = label.replaceAll("[^a-z0-9]+", "-");
    String app = "rtx-candles-bench-" + slug;
    Map<String, String> environment = new HashMap<>();
    environment.put(Names.envName("kafka.application.id"), app);
    environment.put(Names.envName("kafka.processing.guarantee"), guarantee);
    environment.put(Names.envName("kafka.commit.interval.ms"), "100");
    if (intervals != null) {
      environment.put(Names.envName("candles.intervals"), intervals);
    }
    stack.stop(Component.CANDLES);
    stack.stack().startApp(Component.CANDLES, environment);
    try (var profile = profile(Component.CANDLES, "candles-" + slug)) {
      catchUp(
          "candle app alone, "
              + label
              + " (6 partitions, "
              + (instances == 1 ? "1 thread" : instances + " instances of 1 thread")
              + ", whole topic)",
          app,
          "ticks/s",
          rate ->
              ratio(rate, plainConsumerRate, "the plain consumer")
                  + ratio(rate, streamsFloorRate, "the Kafka Streams floor")
                  + verdict(rate >= CANDLE_APP_GOAL)
                  + "goal ≥ 400,000 ticks/s (Apache Flink, 1m candles, this kind of machine)");
    }
    stack.stop(Component.CANDLES);
  }

  /**
   * The ceiling of any Kafka Streams app reading market.ticks here: the simplest windowed aggregate
   * (a count per symbol and second, cached RocksDB store and its changelog), with the candle app's
   * deserializer, guarantee and commit interval, one stream thread, in this process.
   */
  private void streamsFloor() throws Exception {
    String app = "rtx-bench-streams-floor";
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(
            Topics.MARKET_TICKS.name(),
            Consumed.with(Serdes.String(), RegistrySerdes.<Tick>value(stack.registryUrl())))
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(1), Duration.ofSeconds(5)))
        .count(Materialized.as(app + "-counts"));
    // in the private stack's home, wiped with it
    Path stateDir = stack.settings().home().resolve(app);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    try {
      streams.start();
      streamsFloorRate =
          catchUp(
              "Kafka Streams floor: a count per symbol and second, exactly-once (1 thread, whole topic)",
              app,
              "ticks/s",
              rate ->
                  ratio(rate, plainConsumerRate, "the plain consumer")
                      + "the ceiling of the candle app's rows: the same deserializer and guarantee");
    } finally {
      streams.close(Duration.ofSeconds(30));
    }
  }

  /**
   * The floor under the candle app: one plain consumer in this process reads and deserializes the
   * whole of market.ticks (the same Avro deserializer), doing nothing with the ticks.
   */
  private void plainConsumer() {
    progress("plain consumer: reading the whole topic");
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (var consumer =
        new KafkaConsumer<>(
            config,
            new ByteArrayDeserializer(),
            RegistrySerdes.<Tick>value(stack.registryUrl()).deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.MARKET_TICKS.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long read = 0;
      long start = System.nanoTime();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], Tick> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() != null) {
            read++;
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      plainConsumerRate = read / seconds;
      rows.add(
          new Row(
              "plain consumer (one KafkaConsumer, Avro deserializer, whole topic)",
              String.format("%,.0f ticks/s", plainConsumerRate),
              () -> "the reference of the candle app's rows",
              String.format("%,d ticks in %.1fs", read, seconds)));
    }
  }

  /**
   * A JFR profile of a component for the length of a phase, when {@code --profile} names a
   * directory; its top frames are printed after the table.
   */
  private AutoCloseable profile(Component c, String phase) {
    if (profileDir == null) {
      return () -> {};
    }
    Path file = profileDir.resolve(phase + ".jfr");
    FlightRecording recording =
        FlightRecording.start(
            stack
                .stack()
                .pid(c)
                .orElseThrow(() -> new IllegalStateException(c.id() + " not running")),
            file);
    return () -> {
      recording.close();
      profiles.add(file);
    };
  }

  /** Order → decision with exactly-once, decisions/s on a backlog, and the account query. */
  private void orders(Duration duration) throws Exception {
    try (OrdersBench bench = new OrdersBench(stack)) {
      progress("orders: " + OrdersBench.ACCOUNTS + " funded accounts, quotes flowing");
      bench.setUp();
      progress(
          "orders: "
              + orderRate
              + " orders/s for "
              + duration.toSeconds()
              + "s (exactly-once, simulated fills)");
      OrdersBench.Latency measured = bench.decisionLatency(orderRate, warmup, duration);
      Histogram latency = measured.millis();
      rows.add(
          new Row(
              "order → decision readable (exactly-once) @ " + orderRate + " orders/s",
              percentiles(latency, 50, 99, 99.9),
              () ->
                  verdict(latency.getValueAtPercentile(99) < 50)
                      + "design target: decision < 50 ms p99",
              String.format(
                  "%,d orders published to orders.submitted → decision on orders.decisions (read_committed); fills, positions and ledger bookings run too; %s",
                  latency.getTotalCount(),
                  measured.undecided() == 0
                      ? String.format(
                          "the %ds warm-up's orders all decided %.1fs after it",
                          warmup.toSeconds(), measured.drained().toMillis() / 1000.0)
                      : String.format(
                          "%,d of the warm-up's orders still undecided %ds after it",
                          measured.undecided(), measured.drained().toSeconds()))));
      rows.add(
          new Row(
              "  of which published → decided (the decision's decided_at)",
              percentiles(measured.toDecided(), 50, 99, 99.9),
              () -> "no goal",
              "wall clock at publishing → decided_at: the order's produce, its fetch by the orders"
                  + " app and the records ahead of it on the stream thread"));
      rows.add(
          new Row(
              "  of which decided → readable",
              percentiles(measured.toReadable(), 50, 99, 99.9),
              () -> "no goal",
              "decided_at → read by a read_committed consumer: the wait for the transaction's"
                  + " commit (kafka.commit.interval.ms and the commit itself), then the fetch"));
      progress("orders: " + orderCount + " orders at once");
      double perSecond = bench.throughput(orderCount);
      rows.add(
          new Row(
              "orders decided per second (backlog, exactly-once)",
              String.format("%,.0f orders/s", perSecond),
              () -> "no goal",
              String.format(
                  "%,d orders published at once until the last decision is readable", orderCount)));
      progress("orders: GET /accounts/{id}");
      OrdersBench.Queries answered = bench.accountQueries(10_000);
      Histogram queries = answered.micros();
      rows.add(
          new Row(
              "GET /accounts/{id} (one connection)",
              microsAsMillis(queries),
              () ->
                  verdict(queries.getValueAtPercentile(99) < 10_000)
                      + "design target: position query < 10 ms (p99)",
              String.format(
                  "%,d queries after 1,000 of warm-up; %d failed or over 5 s",
                  queries.getTotalCount(), answered.failed())));
    }
  }

  /** Ledger commit → ledger.audit (Debezium) at a steady rate, and the balance read. */
  private void ledger(Duration duration) throws Exception {
    LedgerBench bench = new LedgerBench(stack);
    progress(
        "ledger: "
            + ledgerRate
            + " transactions/s for "
            + duration.toSeconds()
            + "s, then balance reads");
    Histogram capture = bench.captureLatency(ledgerRate, warmup, duration);
    rows.add(
        new Row(
            "ledger commit → entry on ledger.audit (Debezium) @ " + ledgerRate + " tx/s",
            percentiles(capture, 50, 99, 99.9),
            () -> "no goal",
            String.format(
                "%,d transactions; commit returned → record read (read_committed)",
                capture.getTotalCount())));
    Histogram reads = bench.balanceReads(20_000);
    rows.add(
        new Row(
            "balance read (one indexed row, as rtx_backoffice)",
            microsAsMillis(reads),
            () ->
                verdict(reads.getValueAtPercentile(99) < 10_000)
                    + "design target: balance query < 10 ms (p99)",
            String.format("%,d reads after 2,000 of warm-up", reads.getTotalCount())));
  }

  /**
   * Tick → Redis quote (pub/sub) and candle window close → final candle on the topic, at a steady
   * rate, with Kafka's own produce → consume time as the floor under both.
   */
  private void latency(Duration duration) throws Exception {
    progress(
        "warm-up: "
            + latencyRate
            + " ticks/s for "
            + warmup.toSeconds()
            + "s (JIT, caches, connections)");
    SimulateCommand.run(steadyFeed(warmup));

    List<Histogram> kafka = new ArrayList<>();
    List<Histogram> quotes = new ArrayList<>();
    List<Histogram> sockets = new ArrayList<>();
    List<Histogram> closes = new ArrayList<>();
    List<Histogram> closingTicks = new ArrayList<>();
    StackUsage usage = usage();
    for (int i = 1; i <= repeats; i++) {
      progress(
          "latency "
              + i
              + "/"
              + repeats
              + ": "
              + latencyRate
              + " ticks/s for "
              + duration.toSeconds()
              + "s");
      kafka.add(new Histogram(600_000, 3));
      quotes.add(new Histogram(600_000, 3));
      sockets.add(new Histogram(600_000, 3));
      closes.add(new Histogram(600_000, 3));
      closingTicks.add(new Histogram(600_000, 3));
      try (Listener q = quoteLatency(quotes.get(i - 1));
          Listener w = webSocketLatency(sockets.get(i - 1));
          Listener c = candleCloseLatency(closes.get(i - 1));
          Listener k = tickLatency(kafka.get(i - 1), closingTicks.get(i - 1))) {
        Thread.sleep(2_000); // let the subscriptions settle
        SimulateCommand.run(steadyFeed(duration));
        Thread.sleep(CANDLE_GRACE_MS + 2_000); // the last windows close
      }
    }
    StackUsage.Report used = usage.stop();
    double kafka50 = Repeats.median(kafka, 50);
    double kafka99 = Repeats.median(kafka, 99);
    double quote50 = Repeats.median(quotes, 50);
    double quote99 = Repeats.median(quotes, 99);

    String each =
        String.format(
            "median [min–max] of %d repeats of %ds @ %,d ticks/s; ",
            repeats, duration.toSeconds(), latencyRate);
    rows.add(
        new Row(
            "Kafka alone: tick sent → read by a plain consumer",
            Repeats.of(kafka, 50, 99, 99.9),
            () -> "the reference of the quote rows, measured in each repeat",
            each + "a plain consumer in this process"));
    rows.add(
        new Row(
            "tick → Redis quote (send → PUBLISH received)",
            Repeats.of(quotes, 50, 99, 99.9),
            () ->
                String.format("Kafka p50 %.0f ms, p99 %.0f ms; ", kafka50, kafka99)
                    + verdict(quote50 <= kafka50 + 1 && quote99 <= 1.2 * kafka99)
                    + "goal p50 ≤ Kafka + 1 ms, p99 ≤ 1.2× Kafka (medians); design < 5 ms",
            each + String.format("%,d quotes, 1 ms resolution", Repeats.total(quotes))));
    rows.add(
        new Row(
            "tick → Redis quote, above the Kafka floor of the same repeat",
            Repeats.above(quotes, kafka),
            () -> "goal p50 ≤ +1 ms, p99 ≤ ×1.2",
            each + "p50: quote − Kafka (ms); p99: quote ÷ Kafka"));
    rows.add(
        new Row(
            "tick → WebSocket client (send → message on /ws/quotes)",
            Repeats.of(sockets, 50, 99, 99.9),
            () -> "beside the Redis row: the same quotes",
            each
                + String.format(
                    "%,d quotes to one JDK WebSocket client of the quotes app, beside Redis's",
                    Repeats.total(sockets))));
    rows.add(
        new Row(
            "1s candle: window close (end + 5s grace) → final candle readable",
            Repeats.of(closes, 50, 99),
            () -> verdict(Repeats.median(closes, 99) <= 250) + "goal p99 ≤ 250 ms",
            each
                + String.format(
                    "%,d candles, read_committed (exactly-once commits every 100 ms)",
                    Repeats.total(closes))));
    rows.add(
        new Row(
            "1s candle: window close → the tick that closes it, read by a plain consumer",
            Repeats.of(closingTicks, 50, 99),
            () -> "the part of the row above that waits for the feed",
            each
                + "per partition, its first tick of each new second: stream time passes end +"
                + " grace only when its next tick arrives"));
    rows.add(
        new Row(
            "CPU while the latency repeats ran",
            used.machine(),
            () -> "what the latency rows queue behind",
            used.cpuByProcess()));
  }

  /** The latency phase's feed: unbatched, so a tick waits for nothing before it is sent. */
  private SimulateCommand.Options steadyFeed(Duration duration) {
    Properties p = producer();
    p.put("linger.ms", "0");
    return SimulateCommand.Options.of(feeds(System.nanoTime()), p)
        .runFor(duration)
        .atRate(latencyRate)
        .quietly();
  }

  /** Tick → quote: each quote PUBLISHed on {@code quotes:*}, against the tick's event time. */
  private Listener quoteLatency(Histogram into) {
    JedisPubSub subscriber =
        PipelineProbe.quoteAges(
            System::currentTimeMillis, age -> into.recordValue(Math.max(0, age)));
    return new Listener(
        "bench-redis",
        () -> {
          try (Jedis j = new Jedis(stack.redisUri(RedisUser.READER))) {
            j.psubscribe(subscriber, Names.QUOTE_CHANNEL_PREFIX + "*");
          }
        },
        subscriber::punsubscribe);
  }

  /**
   * Tick → WebSocket client: one JDK client of the quotes app's {@code /ws/quotes} for the bench's
   * symbols (up to the app's default {@code quotes.ws.max.symbols}); the current quotes it gets on
   * connect are older than the listener and left out.
   */
  private Listener webSocketLatency(Histogram into) {
    long since = System.currentTimeMillis();
    List<String> wanted = instruments.stream().map(Instrument::symbol).limit(100).toList();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(stack.settings().quotesWsUrl() + "?symbols=" + String.join(",", wanted)),
                new WebSocket.Listener() {
                  private final StringBuilder partial = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      Matcher m = TS.matcher(partial);
                      if (m.find() && Long.parseLong(m.group(1)) >= since) {
                        into.recordValue(msSince(Long.parseLong(m.group(1))));
                      }
                      partial.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }
                })
            .join();
    return new Listener(
        "bench-websocket", () -> {}, () -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join());
  }

  /**
   * Window close (end + grace) → the final 1s candle readable on the topic, read_committed. Only
   * windows that start after the listener: a window still open when the previous feed stopped
   * closes when ticks move stream time again, which measures the pause between feeds.
   */
  private Listener candleCloseLatency(Histogram into) {
    long since = System.currentTimeMillis();
    return topicListener(
        "bench-candles",
        Topics.MARKET_CANDLES.name(),
        Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        r -> {
          // key SYMBOL:1s; the record timestamp is the window's last tick, inside [start, start+1s)
          if (r.key().endsWith(":1s")) {
            long windowStart = r.timestamp() - Math.floorMod(r.timestamp(), 1000L);
            if (windowStart >= since) {
              into.recordValue(msSince(windowStart + 1000 + CANDLE_GRACE_MS));
            }
          }
        });
  }

  /**
   * The floor under the quote path: the same ticks read by a plain consumer (no Streams, no Redis).
   * Beside it, when each partition's first tick of a new second arrives: a window whose end + grace
   * is that second closes no sooner.
   */
  private Listener tickLatency(Histogram into, Histogram closing) {
    Map<Integer, Long> secondOf = new HashMap<>();
    return topicListener(
        "bench-plain",
        Topics.MARKET_TICKS.name(),
        Map.of(),
        new ByteArrayDeserializer(),
        RegistrySerdes.<Tick>value(stack.registryUrl()).deserializer(),
        r -> {
          long ts = r.value().getTs().toEpochMilli();
          into.recordValue(msSince(ts));
          long second = ts - Math.floorMod(ts, 1000L);
          Long before = secondOf.get(r.partition());
          if (before == null || second > before) {
            secondOf.put(r.partition(), second);
            if (before != null) {
              closing.recordValue(msSince(second));
            }
          }
        });
  }

  /** Reads the topic's new records, in a group of its own, until closed. */
  private <K, V> Listener topicListener(
      String name,
      String topic,
      Map<String, Object> extraConfig,
      Deserializer<K> keys,
      Deserializer<V> values,
      Consumer<ConsumerRecord<K, V>> onRecord) {
    Map<String, Object> config = new HashMap<>(extraConfig);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-" + System.nanoTime());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    AtomicBoolean running = new AtomicBoolean(true);
    return new Listener(
        name,
        () -> {
          try (var consumer = new KafkaConsumer<>(config, keys, values)) {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
              consumer.poll(Duration.ofMillis(100)).forEach(onRecord);
            }
          }
        },
        () -> running.set(false));
  }

  /** A thread that listens from its creation until closed. */
  private static final class Listener implements AutoCloseable {
    private final Thread thread;
    private final Runnable stop;

    Listener(String name, Runnable listen, Runnable stop) {
      this.thread = new Thread(listen, name);
      this.stop = stop;
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stop.run();
      thread.join(5_000);
    }
  }

  private static long msSince(long epochMillis) {
    return Math.max(0, System.currentTimeMillis() - epochMillis);
  }

  /** p50, p99 and p99.9 of a histogram of microseconds, in milliseconds. */
  private static String microsAsMillis(Histogram h) {
    return String.format(
        "p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms",
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0);
  }

  private static String percentiles(Histogram h, double... percentiles) {
    StringBuilder s = new StringBuilder();
    for (double p : percentiles) {
      s.append(
          String.format(
              "p%s %d ms, ",
              BigDecimal.valueOf(p).stripTrailingZeros().toPlainString(),
              h.getValueAtPercentile(p)));
    }
    return s.append(String.format("max %d ms", h.getMaxValue())).toString();
  }

  /**
   * Ticks published at full speed while the whole platform runs, until the sink has landed the
   * last.
   */
  private void endToEnd(String sink, String group) throws Exception {
    progress("end to end through the " + sink + ": " + ticks + " ticks at full speed");
    long start = System.nanoTime();
    StackUsage usage = usage();
    double publishRate = publish(ticks);
    waitCaughtUp(group, Duration.ofMinutes(30), null);
    double seconds = (System.nanoTime() - start) / 1e9;
    StackUsage.Report used = usage.stop();
    double rate = ticks / seconds;
    rows.add(
        new Row(
            "ingestion end to end, " + sink,
            String.format("%,.0f ticks/s", rate),
            () ->
                String.format("published at %,.0f/s; ", publishRate)
                    + verdict(rate >= INGEST_GOAL)
                    + "goal ≥ 100,000 ticks/s",
            String.format(
                "%,d ticks → all landed in TimescaleDB, in %.1fs; %s: %s",
                ticks, seconds, used.machine(), used.cpuByProcess())));
  }

  /**
   * A consumer group works through the backlog alone: rows (or ticks) per second from its first
   * progress, as a row of the table; returns that rate.
   */
  private double catchUp(String what, String group, String unit, DoubleFunction<String> against)
      throws Exception {
    progress(what + ": catching up");
    long[] firstProgress = {0};
    long lagAtStart = lag(group);
    waitCaughtUp(
        group,
        Duration.ofMinutes(30),
        () -> {
          long l = lagOrMinus(group);
          if (firstProgress[0] == 0 && l >= 0 && l < lagAtStart) {
            firstProgress[0] = System.nanoTime();
          }
          return l;
        });
    double seconds = (System.nanoTime() - firstProgress[0]) / 1e9;
    double rate = lagAtStart / seconds;
    rows.add(
        new Row(
            what,
            String.format("%,.0f %s", rate, unit),
            () -> against.apply(rate),
            String.format(
                "%,d records in %.1fs (from its first committed progress)", lagAtStart, seconds)));
    return rate;
  }

  /** The same kind of rows COPYed straight into a hypertable with the same keys and indexes. */
  private void copyBaseline() throws Exception {
    progress("COPY baseline: " + ticks + " rows into market.ticks_raw");
    MarketGenerator feed = feeds(7).get(0);
    EventClock.Ticker clock = EventClock.WALL.ticker();
    StringBuilder text = new StringBuilder();
    for (long i = 0; i < ticks; i++) {
      Tick t = feed.next(clock.next());
      text.append(t.getSymbol())
          .append('\t')
          .append(t.getSeq())
          .append('\t')
          .append(t.getTs())
          .append('\t')
          .append(t.getBid().toPlainString())
          .append('\t')
          .append(t.getAsk().toPlainString())
          .append('\t')
          .append(t.getBidSize() == null ? "\\N" : t.getBidSize().toPlainString())
          .append('\t')
          .append(t.getAskSize() == null ? "\\N" : t.getAskSize().toPlainString())
          .append('\t')
          .append(t.getLastPrice() == null ? "\\N" : t.getLastPrice().toPlainString())
          .append('\t')
          .append(t.getLastSize() == null ? "\\N" : t.getLastSize().toPlainString())
          .append('\t')
          .append(t.getVenue())
          .append('\n');
    }
    try (Connection c =
        DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword())) {
      long start = System.nanoTime();
      long n =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "COPY market.ticks_raw (symbol, seq, ts, bid, ask,"
                      + " bid_size, ask_size, last_price, last_size, venue) FROM STDIN",
                  new StringReader(text.toString()));
      double seconds = (System.nanoTime() - start) / 1e9;
      copyBaselineRate = n / seconds;
      rows.add(
          new Row(
              "COPY baseline (PgJDBC CopyManager, one stream)",
              String.format("%,.0f rows/s", copyBaselineRate),
              () -> "the reference of the sinks' rows",
              String.format(
                  "%,d rows in %.1fs into a hypertable with the same key and index", n, seconds)));
    }
  }

  // ----------------------------------------------------------------------------------------------
  // helpers

  /** Starts measuring what every process of the stack, and this one, takes. */
  private StackUsage usage() {
    return new StackUsage(
        () -> {
          Map<String, Long> pids = new LinkedHashMap<>();
          for (Component c : Component.values()) {
            for (int k = 1; k <= stack.settings().count(c); k++) {
              String name = stack.settings().processName(c, k);
              stack.stack().pid(c, k).ifPresent(pid -> pids.put(name, pid));
            }
          }
          return pids;
        },
        "bench");
  }

  /** "0.63× the bare COPY (100,422/s); ", or nothing when the reference was not measured. */
  private static String ratio(double rate, double reference, String what) {
    if (Double.isNaN(reference)) {
      return "";
    }
    return String.format("%.2f× %s (%,.0f/s); ", rate / reference, what, reference);
  }

  private static String verdict(boolean met) {
    return met ? "met: " : "not met: ";
  }

  private List<MarketGenerator> feeds(long seed) {
    return SimulateCommand.feeds(instruments, 2, seed, 0.0, 0.0, "BENCH", System.nanoTime() / 1000);
  }

  private Properties producer() {
    Properties client = new Properties();
    client.put("bootstrap.servers", stack.bootstrapServers());
    return SimulateCommand.producerConfig(client, stack.registryUrl());
  }

  /** Publishes {@code count} ticks as fast as they go; returns the rate achieved. */
  private double publish(long count) throws Exception {
    return SimulateCommand.run(
            SimulateCommand.Options.of(feeds(System.nanoTime()), producer()).upTo(count).quietly())
        .rate();
  }

  private long lag(String group) throws Exception {
    long l;
    while ((l = lagOrMinus(group)) < 0) {
      Thread.sleep(200);
    }
    return l;
  }

  /** Records of market.ticks the group has not committed yet; -1 while the group has no offsets. */
  private long lagOrMinus(String group) throws Exception {
    return ConsumerLag.of(admin, group, Topics.MARKET_TICKS.name()).orElse(-1);
  }

  private long waitCaughtUp(String group, Duration timeout, LongSupplierWithException probe)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastReport = 0;
    while (System.nanoTime() < deadline) {
      long l = probe == null ? lagOrMinus(group) : probe.get();
      if (l == 0) {
        return l;
      }
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        progress("  " + group + ": " + (l < 0 ? "starting" : String.format("%,d behind", l)));
        lastReport = System.nanoTime();
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(group + " did not catch up within " + timeout);
  }

  @FunctionalInterface
  private interface LongSupplierWithException {
    long get() throws Exception;
  }

  private void sql(String... statements) throws Exception {
    try (Connection c =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static void progress(String line) {
    System.err.println("bench: " + line);
  }

  private void printProfiles() throws Exception {
    for (Path p : profiles) {
      System.out.printf("%nprofile %s: methods on top of the CPU samples%n", p);
      FlightRecording.hottest(p, 12).forEach(share -> System.out.println("  " + share));
      System.out.printf("the project's frames, with what they call%n");
      FlightRecording.hottestOwn(p, 12).forEach(share -> System.out.println("  " + share));
    }
  }

  private void print() {
    int w0 = rows.stream().mapToInt(r -> r.measure().length()).max().orElse(10);
    int w1 = rows.stream().mapToInt(r -> r.result().length()).max().orElse(10);
    List<String> against = rows.stream().map(r -> r.against().get()).toList();
    int w2 = against.stream().mapToInt(String::length).max().orElse(10);
    System.out.printf(
        "%nrtx-streams benchmark, %s, %d cores; broker, Connect, registry, PostgreSQL, Redis and apps on this machine%n",
        Instant.now().toString().substring(0, 10), Runtime.getRuntime().availableProcessors());
    String line = "| %-" + w0 + "s | %-" + w1 + "s | %-" + w2 + "s | %s%n";
    System.out.printf(line, "measure", "result", "against (same run) and goal", "how");
    System.out.printf("|-%s-|-%s-|-%s-|-----%n", "-".repeat(w0), "-".repeat(w1), "-".repeat(w2));
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      System.out.printf(line, r.measure(), r.result(), against.get(i), r.how());
    }
  }
}
