package io.rtx.tools;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rtx simulate orders}: a seeded flow of client orders ({@link OrderFlow}) sent to the
 * orders app's gateway, {@code POST /orders}, with a progress line every second and a summary of
 * what the gateway answered.
 */
@Command(
    name = "simulate orders",
    mixinStandardHelpOptions = true,
    description = "Send a simulated order flow to the orders app's gateway (POST /orders).")
public final class SimulateOrdersCommand implements Callable<Integer> {

  @Option(
      names = "--accounts",
      defaultValue = "10",
      description = "Trade on the seeded accounts ACC-0001 … ACC-N (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Option(
      names = "--rate",
      defaultValue = "50",
      description = "Orders per second over all senders (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the order mix (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--symbols",
      defaultValue = SimulateCommand.DEFAULT_SYMBOLS,
      description =
          "Comma-separated instruments the simulator knows, each once (default:"
              + " ${DEFAULT-VALUE}).")
  String symbols;

  @Option(names = "--url", description = "The orders app (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Sender threads; accounts are split among them (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--in-flight",
      defaultValue = "64",
      description = "Requests awaiting their answer at most (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Mixin RunLimits limits;

  @Spec CommandSpec spec;

  private final Supplier<OrderFlow.Prices> prices;

  /**
   * @param defaultUrl the local orders app
   * @param prices where limit prices start, opened when the run starts and closed after it if it is
   *     {@link AutoCloseable}
   */
  SimulateOrdersCommand(String defaultUrl, Supplier<OrderFlow.Prices> prices) {
    this.url = defaultUrl;
    this.prices = prices;
  }

  /** What a run sent, and what the gateway answered; answers that never came are in sent only. */
  public record Report(
      long sent,
      Map<OrderFlow.Kind, Long> sentByKind,
      long accepted,
      long rejected,
      Map<String, Long> rejectedByReason,
      long pending,
      long badRequests,
      long httpErrors,
      Map<String, Long> httpErrorsByKind,
      Duration elapsed) {

    long sentOf(OrderFlow.Kind kind) {
      return sentByKind.getOrDefault(kind, 0L);
    }

    long invalidSent() {
      return OrderFlow.Kind.INVALID_KINDS.stream().mapToLong(this::sentOf).sum();
    }

    long answered() {
      return accepted + rejected + pending + badRequests + httpErrors;
    }

    double rate() {
      return sent / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }

    /** The answers in one line: accepted 1,200 │ rejected 40 (LOT_SIZE 12, …) │ …. */
    String answers() {
      return String.format(
          "accepted %,d │ rejected %,d%s │ pending %,d │ bad requests %,d │ HTTP errors %,d%s",
          accepted,
          rejected,
          counts(rejectedByReason),
          pending,
          badRequests,
          httpErrors,
          counts(httpErrorsByKind));
    }

    private static String counts(Map<String, Long> byKey) {
      return byKey.isEmpty()
          ? ""
          : byKey.entrySet().stream()
              .map(e -> String.format("%s %,d", e.getKey(), e.getValue()))
              .collect(Collectors.joining(", ", " (", ")"));
    }
  }

  /**
   * What a run sends and how.
   *
   * @param flows one per sender thread
   * @param count orders to send at the most; {@code Long.MAX_VALUE}: no limit
   * @param duration how long to send; null: until interrupted or the count
   * @param rate orders per second over all senders
   */
  public record Options(
      List<OrderFlow> flows,
      URI url,
      long count,
      Duration duration,
      double rate,
      int inFlight,
      boolean quiet) {}

  @Override
  public Integer call() throws Exception {
    validateCounts();
    URI gateway = validUrl();
    List<Instrument> instruments = validInstruments();
    OrderFlow.Prices p = prices.get();
    Report r;
    try {
      Options options =
          new Options(
              flows(accounts, Math.min(threads, accounts), instruments, seed, runTag(), p),
              gateway,
              limits.count(),
              limits.duration(),
              rate,
              inFlight,
              limits.quiet);
      r = run(options, new OrderTally());
    } finally {
      if (p instanceof AutoCloseable c) {
        c.close();
      }
    }
    System.out.printf(
        "simulate orders: sent %,d orders (%,d invalid, %,d duplicates) over %d accounts in %.1fs:"
            + " %,.0f/s%n  %s%n",
        r.sent(),
        r.invalidSent(),
        r.sentOf(OrderFlow.Kind.DUPLICATE),
        accounts,
        r.elapsed().toMillis() / 1000.0,
        r.rate(),
        r.answers());
    if (r.answered() < r.sent()) {
      System.out.printf("  %,d still unanswered at the end%n", r.sent() - r.answered());
    }
    return 0;
  }

  private void validateCounts() {
    if (accounts < 1 || accounts > 9999) {
      throw bad("--accounts must be 1..9999 (the seed's ACC-0001 … ACC-9999), got " + accounts);
    }
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw bad("--rate must be above 0 orders per second, got " + rate);
    }
    if (threads < 1) {
      throw bad("--threads must be at least 1, got " + threads);
    }
    if (inFlight < 1) {
      throw bad("--in-flight must be at least 1, got " + inFlight);
    }
  }

  private URI validUrl() {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw bad("--url is not a URL: " + url);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw bad("--url must be http://host:port, got " + url);
    }
    return u;
  }

  private List<Instrument> validInstruments() {
    List<Instrument> instruments = Flags.instruments(spec, "--symbols", symbols);
    List<String> known = Instrument.known().stream().map(Instrument::symbol).toList();
    for (Instrument i : instruments) {
      if (!known.contains(i.symbol())) {
        throw bad(
            "--symbols: "
                + i.symbol()
                + " is not an instrument the seed knows; known: "
                + String.join(",", known));
      }
    }
    return instruments;
  }

  private CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** A tag unique to this run in the order ids, so a second run's orders are new orders. */
  static String runTag() {
    return "SIM" + Long.toString(System.currentTimeMillis(), 36).toUpperCase(Locale.ROOT);
  }

  /**
   * Splits the accounts ACC-0001 … ACC-N round-robin into {@code n} deterministic flows (seed,
   * seed+1, …), their order ids {@code <tag>-<flow>-<number>}.
   */
  static List<OrderFlow> flows(
      int accounts,
      int n,
      List<Instrument> instruments,
      long seed,
      String tag,
      OrderFlow.Prices prices) {
    List<OrderFlow> flows = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      List<String> mine = new ArrayList<>();
      for (int a = k + 1; a <= accounts; a += n) {
        mine.add(SeedCommand.accountId(a));
      }
      flows.add(new OrderFlow(mine, instruments, seed + k, tag + "-" + k, prices));
    }
    return flows;
  }

  /**
   * Sends until the count, the duration or an interrupt, paced at the rate, each flow on its own
   * thread; then waits for the answers still in flight (up to the request timeout). {@code tally}
   * counts as answers arrive, so a caller can read it while this runs.
   */
  public static Report run(Options options, OrderTally tally) throws InterruptedException {
    long start = System.nanoTime();
    long deadline =
        options.duration() == null ? Long.MAX_VALUE : start + options.duration().toNanos();
    List<OrderFlow> flows = options.flows();
    int n = flows.size();
    long limit = options.count();
    double perThreadRate = options.rate() / n;
    try (OrderGateway gateway = new OrderGateway(options.url(), options.inFlight(), tally)) {
      List<Thread> senders = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        OrderFlow flow = flows.get(k);
        long share = limit == Long.MAX_VALUE ? Long.MAX_VALUE : limit / n + (k < limit % n ? 1 : 0);
        Thread sender =
            new Thread(
                () -> {
                  try {
                    for (long mine = 0; mine < share; mine++) {
                      long due = start + (long) (mine * 1e9 / perThreadRate);
                      long now = System.nanoTime();
                      if (due >= deadline || now >= deadline) {
                        break;
                      }
                      if (due > now) {
                        LockSupport.parkNanos(due - now);
                      }
                      if (Thread.currentThread().isInterrupted()) {
                        break;
                      }
                      gateway.submit(flow.next());
                    }
                  } catch (InterruptedException e) {
                    // stopping
                  }
                },
                "simulate-orders-" + k);
        sender.start();
        senders.add(sender);
      }
      try {
        long last = 0;
        while (senders.stream().anyMatch(Thread::isAlive)) {
          senders.get(0).join(1000);
          if (!options.quiet() && senders.stream().anyMatch(Thread::isAlive)) {
            Report now = tally.report(Duration.ofNanos(System.nanoTime() - start));
            System.err.printf(
                "orders: sent %,d/s │ %s │ in flight %d%n",
                now.sent() - last, now.answers(), gateway.inFlight());
            last = now.sent();
          }
        }
      } finally {
        senders.forEach(Thread::interrupt);
        for (Thread t : senders) {
          t.join();
        }
      }
      gateway.awaitAnswers(OrderGateway.REQUEST_TIMEOUT.plusSeconds(1));
    }
    return tally.report(Duration.ofNanos(System.nanoTime() - start));
  }
}
