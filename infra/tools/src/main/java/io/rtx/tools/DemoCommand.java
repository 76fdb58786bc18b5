package io.rtx.tools;

import io.rtx.common.ConsumerLag;
import io.rtx.common.Settings;
import io.rtx.launcher.RedisUser;
import io.rtx.launcher.StackSettings;
import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import io.rtx.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.Jedis;

/**
 * {@code ./rtx demo} (after {@code ./rtx up}): feeds simulated ticks and prints a live summary
 * until interrupted: ticks/s in, candles out, sink lag, live quotes and the last 1m candles. When
 * the orders app answers, it also seeds the client accounts and sends a simulated order flow to its
 * gateway, and the summary shows what the gateway decided and the fills.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Simulated market with a live summary; Ctrl-C stops it.")
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private List<Instrument> instruments;
  private long rate;
  private double ordersRate;
  private int accounts;
  private Duration period;

  @Option(
      names = "--symbols",
      defaultValue = "EURUSD,GBPUSD,USDJPY,AUDUSD,XAUUSD,BTCUSD",
      description = "Comma-separated symbols, each once, or a count (default: ${DEFAULT-VALUE}).")
  void symbols(String value) {
    instruments = Flags.instruments(spec, "--symbols", value);
  }

  @Option(
      names = "--rate",
      defaultValue = "2000",
      description = "Ticks per second, at least 1 (default: ${DEFAULT-VALUE}).")
  void rate(long value) {
    rate = Flags.atLeast(spec, "--rate", value, 1);
  }

  @Option(
      names = "--orders-rate",
      defaultValue = "50",
      description =
          "Orders per second to the orders app, when it is up; 0: none (default: ${DEFAULT-VALUE}).")
  void ordersRate(double value) {
    ordersRate = Flags.notNegative(spec, "--orders-rate", value);
  }

  @Option(
      names = "--accounts",
      defaultValue = "10",
      description =
          "Client accounts the orders come from, 1..9999, seeded first (default: ${DEFAULT-VALUE}).")
  void accounts(int value) {
    accounts = Flags.within(spec, "--accounts", value, 1, 9999);
  }

  @Option(
      names = "--every",
      defaultValue = "2s",
      description = "Summary period (default: ${DEFAULT-VALUE}).")
  void every(String value) {
    period = Flags.positiveDuration(spec, "--every", value);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private final Settings settings;
  private final StackSettings stack;
  private final Runnable platform;

  /**
   * Feeds the cluster {@code settings} name; reads the summary from the local {@code stack}, after
   * {@code platform} has started it. Flags are checked as they are parsed, so a bad one is refused
   * before {@code platform} starts anything.
   */
  DemoCommand(Settings settings, StackSettings stack, Runnable platform) {
    this.settings = settings;
    this.stack = stack;
    this.platform = platform;
  }

  @Override
  public Integer call() throws Exception {
    platform.run();
    Properties producer = SimulateCommand.producerConfig(settings);
    List<MarketGenerator> feeds =
        SimulateCommand.feeds(
            instruments,
            Math.min(2, instruments.size()),
            System.nanoTime(),
            0.01,
            0.01,
            "DEMO",
            System.currentTimeMillis() * 1000);
    Thread feed =
        new Thread(
            () -> {
              try {
                SimulateCommand.run(
                    SimulateCommand.Options.of(feeds, producer).atRate(rate).quietly());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-feed");
    feed.setDaemon(true);
    feed.start();

    String candlesUrl = stack.httpUrl(Component.CANDLES);
    HttpClient http = HttpClient.newHttpClient();
    OrderTally orders = startOrders(http, instruments);
    try (Admin admin = Admin.create(settings.withPrefix("kafka."));
        Jedis redis = new Jedis(URI.create(stack.redisUrl(RedisUser.READER)));
        Connection db =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword())) {
      long ticksBefore = endOffsets(admin, Topics.MARKET_TICKS.name());
      long candlesBefore = endOffsets(admin, Topics.MARKET_CANDLES.name());
      long fillsBefore = endOffsets(admin, Topics.EXECUTIONS.name());
      long ordersBefore = 0;
      while (feed.isAlive()) {
        Thread.sleep(period.toMillis());
        long ticksNow = endOffsets(admin, Topics.MARKET_TICKS.name());
        long candlesNow = endOffsets(admin, Topics.MARKET_CANDLES.name());
        StringBuilder out = new StringBuilder();
        out.append(
            String.format(
                "%n── %s UTC ── ticks in %,.0f/s │ final candles out %,.0f/s │ ticks sink lag %s │ 1m candles in TimescaleDB %s%n",
                LocalTime.now(ZoneOffset.UTC).withNano(0),
                (ticksNow - ticksBefore) * 1000.0 / period.toMillis(),
                (candlesNow - candlesBefore) * 1000.0 / period.toMillis(),
                ConsumerLag.of(admin, Names.sinkGroup("rtx-ticks-sink"), Topics.MARKET_TICKS.name())
                    .stream()
                    .mapToObj(l -> String.format("%,d", l))
                    .findFirst()
                    .orElse("-"),
                scalar(
                    db,
                    "SELECT to_char(count(*), 'FM999,999,999') FROM market.candles WHERE interval = '1m'")));
        ticksBefore = ticksNow;
        candlesBefore = candlesNow;
        if (orders != null) {
          long fillsNow = endOffsets(admin, Topics.EXECUTIONS.name());
          SimulateOrdersCommand.Report r = orders.report(period);
          out.append(
              String.format(
                  "orders %,.0f/s │ %s │ fills %,.0f/s%n",
                  (r.sent() - ordersBefore) * 1000.0 / period.toMillis(),
                  r.answers(),
                  (fillsNow - fillsBefore) * 1000.0 / period.toMillis()));
          fillsBefore = fillsNow;
          ordersBefore = r.sent();
        }
        out.append("quotes  ");
        for (Instrument i : instruments) {
          Map<String, String> q = redis.hgetAll(Names.quoteKey(i.symbol()));
          out.append(
              String.format("%s %s/%s  ", i.symbol(), strip(q.get("bid")), strip(q.get("ask"))));
        }
        out.append('\n');
        String first = instruments.get(0).symbol();
        HttpResponse<String> candles =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            candlesUrl + "/candles?symbol=" + first + "&interval=1m&limit=3"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (candles.statusCode() == 200) {
          for (var c : JSON.readTree(candles.body())) {
            out.append(
                String.format(
                    "1m %s %s  O %s  H %s  L %s  C %s  ticks %,d%s%n",
                    first,
                    c.get("bucket_start").asText().substring(11, 16),
                    strip(c.get("open").asText()),
                    strip(c.get("high").asText()),
                    strip(c.get("low").asText()),
                    strip(c.get("close").asText()),
                    c.get("tick_count").asLong(),
                    c.get("final").asBoolean() ? "" : "  (open)"));
          }
        }
        System.out.print(out);
      }
    }
    return 0;
  }

  /**
   * Seeds the accounts and starts the order flow when the orders app answers its health check;
   * otherwise says why not. Returns the flow's live counts, or null when there is no flow.
   */
  private OrderTally startOrders(HttpClient http, List<Instrument> instruments) {
    String ordersUrl = stack.httpUrl(Component.ORDERS);
    if (ordersRate <= 0) {
      return null;
    }
    if (!answers(http, ordersUrl + "/health")) {
      System.out.println(
          "orders app is not up (" + ordersUrl + "/health does not answer 200): ticks only");
      return null;
    }
    List<String> known = Instrument.known().stream().map(Instrument::symbol).toList();
    List<Instrument> tradable =
        instruments.stream().filter(i -> known.contains(i.symbol())).toList();
    if (tradable.isEmpty()) {
      System.out.println("none of --symbols is a seeded instrument: ticks only");
      return null;
    }
    try {
      var db = BackOfficeDatabase.dataSource(System.getenv(), stack);
      SeedCommand.Summary seeded =
          SeedCommand.seed(
              new io.rtx.ledger.ReferenceData(db, BackOfficeDatabase.pii(System.getenv(), stack)),
              new io.rtx.ledger.BackOffice(db),
              accounts,
              LedgerCommand.actor());
      System.out.printf(
          "seed: %s … %s ready (%d opening deposits booked now)%n",
          SeedCommand.accountId(1), SeedCommand.accountId(accounts), seeded.depositsBooked());
    } catch (Exception e) {
      // the flow still runs: the gateway's answers will say what the accounts lack
      System.out.println("seeding the accounts failed (" + e.getMessage() + "); orders go anyway");
    }
    LatestQuotes prices =
        new LatestQuotes(settings.withPrefix("kafka."), settings.get("registry.url"));
    SimulateOrdersCommand.Options options =
        new SimulateOrdersCommand.Options(
            SimulateOrdersCommand.flows(
                accounts, 1, tradable, System.nanoTime(), SimulateOrdersCommand.runTag(), prices),
            URI.create(ordersUrl),
            Long.MAX_VALUE,
            null,
            ordersRate,
            64,
            true);
    OrderTally tally = new OrderTally();
    Thread flow =
        new Thread(
            () -> {
              try {
                SimulateOrdersCommand.run(options, tally);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-orders");
    flow.setDaemon(true);
    flow.start();
    System.out.printf(
        "orders: %,.0f/s from %s … %s to %s/orders%n",
        ordersRate, SeedCommand.accountId(1), SeedCommand.accountId(accounts), ordersUrl);
    return tally;
  }

  private static boolean answers(HttpClient http, String url) {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String strip(String decimal) {
    return decimal == null
        ? "-"
        : new java.math.BigDecimal(decimal).stripTrailingZeros().toPlainString();
  }

  private static long endOffsets(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    int partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
  }

  private static String scalar(Connection db, String sql) throws Exception {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }
}
