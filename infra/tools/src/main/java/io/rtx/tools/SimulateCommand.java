package io.rtx.tools;

import io.rtx.common.Settings;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./rtx simulate ticks}: publishes a simulated feed to {@code market.ticks}. */
@Command(
    name = "simulate ticks",
    mixinStandardHelpOptions = true,
    description = "Publish simulated ticks (Avro, Confluent wire format) to market.ticks.")
public final class SimulateCommand implements Callable<Integer> {

  /** The instruments a simulation uses unless told otherwise. */
  static final String DEFAULT_SYMBOLS = "EURUSD,GBPUSD,USDJPY,AUDUSD,XAUUSD";

  private List<Instrument> instruments;

  @Option(
      names = "--symbols",
      defaultValue = DEFAULT_SYMBOLS,
      description =
          "Comma-separated symbols, each once, or a count of instruments (default:"
              + " ${DEFAULT-VALUE}).")
  void symbols(String value) {
    instruments = Flags.instruments(spec, "--symbols", value);
  }

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description = "Ticks per second; 0 sends as fast as possible (default: ${DEFAULT-VALUE}).")
  long rate;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the random walk (default: ${DEFAULT-VALUE}).")
  long seed;

  private double outOfOrder;
  private double duplicates;

  @Option(
      names = "--out-of-order",
      defaultValue = "0",
      description = "Fraction of ticks delivered late, behind up to 5 later ticks; in [0, 1).")
  void outOfOrder(double value) {
    outOfOrder = Flags.fraction(spec, "--out-of-order", value);
  }

  @Option(
      names = "--duplicates",
      defaultValue = "0",
      description = "Fraction of ticks redelivered (same symbol and seq); in [0, 1).")
  void duplicates(double value) {
    duplicates = Flags.fraction(spec, "--duplicates", value);
  }

  @Option(
      names = "--venue",
      defaultValue = "SIM",
      description = "Venue written on every tick (default: ${DEFAULT-VALUE}).")
  String venue;

  @Option(
      names = "--first-seq",
      description =
          "Seq of each symbol's first tick (default: the clock in microseconds, so runs continue upward).")
  Long firstSeq;

  @Option(
      names = "--start",
      description =
          "Event time of the first tick (ISO-8601, e.g. 2026-11-26T09:00:00Z); default: the clock.")
  Instant startTime;

  private Duration step;

  @Option(
      names = "--step",
      description =
          "Event time between consecutive ticks, all senders sharing one clock, e.g. 50ms (with"
              + " --start: replays history fast).")
  void step(String value) {
    step = Flags.positiveDuration(spec, "--step", value);
  }

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Sender threads; symbols are split among them (default: ${DEFAULT-VALUE}).")
  int threads;

  @Mixin RunLimits limits;

  @Spec CommandSpec spec;

  private final Settings settings;

  SimulateCommand(Settings settings) {
    this.settings = settings;
  }

  /** What a run sent, for the summary and for tests that check the landed data against it. */
  public record Report(long sent, long unique, long redelivered, long reordered, Duration elapsed) {
    double rate() {
      return sent / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (rate < 0) {
      throw bad("--rate must be 0 (as fast as possible) or more, got " + rate);
    }
    if (threads < 1) {
      throw bad("--threads must be at least 1, got " + threads);
    }
    if (!limits.bounded() && rate == 0) {
      throw bad("--rate 0 needs --count or --duration");
    }
    long first = firstSeq != null ? firstSeq : System.currentTimeMillis() * 1000;
    List<MarketGenerator> feeds =
        feeds(
            instruments,
            Math.min(threads, instruments.size()),
            seed,
            outOfOrder,
            duplicates,
            venue,
            first);
    EventClock clock =
        startTime == null && step == null
            ? EventClock.WALL
            : EventClock.stepping(
                startTime == null ? Instant.now() : startTime,
                step == null ? Duration.ofMillis(1) : step);
    Options options = Options.of(feeds, producerConfig(settings)).atRate(rate).withClock(clock);
    options = options.upTo(limits.count()).runFor(limits.duration());
    Report r = run(limits.quiet ? options.quietly() : options);
    System.out.printf(
        "simulate: sent %,d ticks (%,d unique, %,d redelivered, %,d out of order) for %d symbols in %.1fs: %,.0f ticks/s%n",
        r.sent(),
        r.unique(),
        r.redelivered(),
        r.reordered(),
        instruments.size(),
        r.elapsed().toMillis() / 1000.0,
        r.rate());
    return 0;
  }

  private CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Splits the instruments round-robin into {@code n} deterministic feeds (seed, seed+1, ...). */
  public static List<MarketGenerator> feeds(
      List<Instrument> instruments,
      int n,
      long seed,
      double outOfOrder,
      double duplicates,
      String venue,
      long firstSeq) {
    List<MarketGenerator> feeds = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      List<Instrument> mine = new ArrayList<>();
      for (int i = k; i < instruments.size(); i += n) {
        mine.add(instruments.get(i));
      }
      feeds.add(new MarketGenerator(mine, seed + k, outOfOrder, duplicates, venue, firstSeq));
    }
    return feeds;
  }

  public static Properties producerConfig(Settings settings) {
    return producerConfig(settings.withPrefix("kafka."), settings.get("registry.url"));
  }

  /**
   * The simulator's producer on top of the given client settings: idempotent with acks=all, and
   * batched and compressed unless those settings say otherwise.
   */
  public static Properties producerConfig(Properties client, String registryUrl) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put("registry.url", registryUrl);
    return p;
  }

  /**
   * What a run publishes and how: the feeds (one sender thread each), the producer settings ({@code
   * registry.url} included), when to stop, how fast, and where event time comes from.
   *
   * @param count ticks to send at the most (redeliveries included); {@code Long.MAX_VALUE}: no
   *     limit
   * @param duration how long to send; null: no limit
   * @param rate ticks per second over all senders; 0: as fast as it goes
   * @param quiet no progress line every second
   */
  public record Options(
      List<MarketGenerator> feeds,
      Properties producer,
      long count,
      Duration duration,
      long rate,
      boolean quiet,
      EventClock clock) {

    /** Everything the feeds produce, as fast as it goes, on the wall clock, with progress. */
    public static Options of(List<MarketGenerator> feeds, Properties producer) {
      return new Options(feeds, producer, Long.MAX_VALUE, null, 0, false, EventClock.WALL);
    }

    public Options upTo(long ticks) {
      return new Options(feeds, producer, ticks, duration, rate, quiet, clock);
    }

    public Options runFor(Duration d) {
      return new Options(feeds, producer, count, d, rate, quiet, clock);
    }

    public Options atRate(long ticksPerSecond) {
      return new Options(feeds, producer, count, duration, ticksPerSecond, quiet, clock);
    }

    public Options quietly() {
      return new Options(feeds, producer, count, duration, rate, true, clock);
    }

    public Options withClock(EventClock c) {
      return new Options(feeds, producer, count, duration, rate, quiet, c);
    }
  }

  /**
   * Sends until the count or the duration, paced at the rate. Each feed runs on its own thread (the
   * Avro serializer costs a few microseconds a record); a symbol belongs to one feed, so its ticks
   * keep their order.
   */
  public static Report run(Options options) throws InterruptedException {
    var valueSerializer =
        RegistrySerdes.<Tick>value(options.producer().getProperty("registry.url")).serializer();
    Properties producerProps = new Properties();
    producerProps.putAll(options.producer());
    producerProps.remove("registry.url");
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong sent = new AtomicLong();
    long start = System.nanoTime();
    long deadline =
        options.duration() == null ? Long.MAX_VALUE : start + options.duration().toNanos();
    List<MarketGenerator> feeds = options.feeds();
    long limit = options.count();
    long rate = options.rate();
    int n = feeds.size();
    try (var producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), valueSerializer)) {
      Callback onAck =
          (m, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          };
      Consumer<Tick> send =
          t -> {
            producer.send(
                new ProducerRecord<>(Topics.MARKET_TICKS.name(), t.getSymbol(), t), onAck);
            sent.incrementAndGet();
          };
      List<Thread> senders = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        MarketGenerator feed = feeds.get(k);
        EventClock.Ticker eventTime = options.clock().ticker();
        long share = limit == Long.MAX_VALUE ? Long.MAX_VALUE : limit / n + (k < limit % n ? 1 : 0);
        double perThreadRate = rate / (double) n;
        Thread sender =
            new Thread(
                () -> {
                  long mine = 0;
                  while (mine < share && failure.get() == null) {
                    long now = System.nanoTime();
                    if (now >= deadline) {
                      break;
                    }
                    if (rate > 0 && (mine & 15) == 0) {
                      long due = start + (long) (mine * 1e9 / perThreadRate);
                      if (due > now) {
                        LockSupport.parkNanos(due - now);
                      }
                    }
                    send.accept(feed.next(eventTime.next()));
                    mine++;
                  }
                  // held-back ticks, so every generated seq is delivered
                  feed.drain().forEach(send);
                },
                "simulate-" + k);
        sender.start();
        senders.add(sender);
      }
      long last = 0;
      while (senders.stream().anyMatch(Thread::isAlive)) {
        senders.get(0).join(1000);
        long s = sent.get();
        if (!options.quiet() && senders.stream().anyMatch(Thread::isAlive)) {
          System.err.printf("simulate: %,d ticks sent, %,d/s%n", s, s - last);
        }
        last = s;
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "sending ticks failed: " + failure.get().getMessage(), failure.get());
    }
    long generated = feeds.stream().mapToLong(MarketGenerator::generated).sum();
    long duplicated = feeds.stream().mapToLong(MarketGenerator::duplicated).sum();
    long reordered = feeds.stream().mapToLong(MarketGenerator::reordered).sum();
    return new Report(
        sent.get(), generated, duplicated, reordered, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * A thread publishing ticks of {@code symbols} on the wall clock at {@code rate}/s until {@code
   * running} turns false (the benchmark's and the order-path tests' quote feed).
   */
  static Thread wallClockFeed(
      String bootstrap,
      String registryUrl,
      List<String> symbols,
      String venue,
      int rate,
      java.util.concurrent.atomic.AtomicBoolean running) {
    Properties producer = new Properties();
    producer.put("bootstrap.servers", bootstrap);
    producer.put("registry.url", registryUrl);
    Thread t =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  run(
                      Options.of(
                              feeds(
                                  Instrument.parse(String.join(",", symbols)),
                                  1,
                                  System.nanoTime(),
                                  0,
                                  0,
                                  venue,
                                  System.currentTimeMillis() * 1000),
                              producer)
                          .atRate(rate)
                          .runFor(Duration.ofSeconds(2))
                          .quietly());
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "ticks-" + venue.toLowerCase(java.util.Locale.ROOT));
    t.start();
    return t;
  }
}
