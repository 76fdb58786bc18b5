package io.rtx.quotes;

import static io.rtx.quotes.Ticks.tick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.launcher.RedisUser;
import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

/**
 * {@code /ws/quotes} on the real stack: ticks on market.ticks → quotes app → Redis → hundreds of
 * WebSocket clients (the JDK's client), one of which does not read.
 */
@UsesLocalStack({Component.QUOTES})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuoteSocketIT {

  private static final int SYMBOLS = 10;
  private static final int FAST_CLIENTS = 300;
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
  private static final Pattern SYMBOL = Pattern.compile("\"symbol\":\"([^\"]+)\"");

  private final LocalStack stack;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String prefix = "WS" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
  private final List<String> symbols = new ArrayList<>();
  private KafkaProducer<String, Tick> producer;

  QuoteSocketIT(LocalStack stack) {
    this.stack = stack;
  }

  @BeforeAll
  void seed() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producer =
        new KafkaProducer<>(
            p,
            new StringSerializer(),
            RegistrySerdes.<Tick>value(stack.registryUrl()).serializer());
    for (int i = 0; i < SYMBOLS; i++) {
      symbols.add(prefix + "." + i);
    }
    send(1, 1);
    awaitInRedis(1);
    await().atMost(Duration.ofMinutes(1)).until(() -> metric("quotes_ws_feed_subscribed") == 1);
  }

  @AfterAll
  void close() {
    producer.close();
  }

  @Test
  void everyClientGetsTheCurrentQuoteThenTheUpdatesAndASlowOneStaysBounded() throws Exception {
    List<Client> fast = new ArrayList<>();
    for (int i = 0; i < FAST_CLIENTS; i++) {
      // two symbols each, every symbol shared by many clients
      List<String> mine = List.of(symbols.get(i % SYMBOLS), symbols.get((i + 3) % SYMBOLS));
      fast.add(connect(mine, true));
    }
    Client slow = connect(symbols, false);
    double conflatedBefore = metric("quotes_ws_conflated_total");

    // the current quote of each symbol first, in the order asked for
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> fast.stream().allMatch(c -> c.count.get() >= 2));
    for (Client c : fast) {
      assertThat(c.first)
          .containsExactly(published(c.symbols.get(0), 1), published(c.symbols.get(1), 1));
    }
    assertThat(metric("quotes_ws_clients")).isEqualTo(FAST_CLIENTS + 1);
    try (Jedis jedis = jedis()) {
      assertThat(jedis.pubsubNumPat()).as("one Redis subscription for all clients").isEqualTo(1);
    }

    // updates until the slow client's quotes have been conflated, its backlog sampled meanwhile
    long seq = 1;
    double backlogMax = 0;
    while (metric("quotes_ws_conflated_total") == conflatedBefore) {
      assertThat(seq).as("the slow client's socket should fill up").isLessThan(200_000);
      send(seq + 1, seq + 500);
      seq += 500;
      awaitInRedis(seq);
      backlogMax = Math.max(backlogMax, metric("quotes_ws_backlog_max"));
    }
    backlogMax = Math.max(backlogMax, metric("quotes_ws_backlog_max"));
    assertThat(backlogMax)
        .as("no client's backlog is ever above its symbols (%d)", SYMBOLS)
        .isLessThanOrEqualTo(SYMBOLS);
    long last = seq + 1;
    send(last, last);
    awaitInRedis(last);

    Map<String, String> inRedis = new LinkedHashMap<>();
    try (Jedis jedis = jedis()) {
      for (String s : symbols) {
        inRedis.put(s, QuoteMessage.json(s, jedis.hgetAll(Names.quoteKey(s))));
        assertThat(inRedis.get(s)).isEqualTo(published(s, last));
      }
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> fast.stream().allMatch(c -> c.has(last)));
    for (Client c : fast) {
      assertThat(c.wrong).isEmpty();
      for (String s : c.symbols) {
        assertThat(c.newest.get(s)).isEqualTo(inRedis.get(s));
      }
    }
    assertThat(metric("quotes_ws_backlog_max")).isLessThanOrEqualTo(SYMBOLS);

    // the slow client reads at last: what it had not read was conflated, it ends on Redis's quotes
    slow.socket.request(Long.MAX_VALUE);
    await().atMost(Duration.ofMinutes(2)).until(() -> slow.has(last));
    assertThat(slow.wrong).isEmpty();
    assertThat(slow.first)
        .as("the current quotes first")
        .isEqualTo(symbols.stream().map(s -> published(s, 1)).toList());
    for (String s : symbols) {
      assertThat(slow.newest.get(s)).isEqualTo(inRedis.get(s));
    }
    assertThat(slow.count.get())
        .as("the slow client got fewer quotes than were published")
        .isLessThan(SYMBOLS * last);
    assertThat(metric("quotes_ws_dropped_total")).isZero();

    for (Client c : fast) {
      c.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }
    slow.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    await().atMost(Duration.ofMinutes(1)).until(() -> metric("quotes_ws_clients") == 0);
  }

  @Test
  void invalidOrUnknownSymbolsCloseWithTheReason() {
    assertThat(closeOf("")).isEqualTo("1008 no symbols: ask for /ws/quotes?symbols=A,B");
    assertThat(closeOf(symbols.get(0) + ",EUR%20USD"))
        .isEqualTo("1008 invalid symbol 'EUR USD': 1-32 of A-Z a-z 0-9 . _ / -");
    assertThat(closeOf(symbols.get(0) + "," + prefix + ".none"))
        .isEqualTo("1008 no quote for " + prefix + ".none");
    String many = String.join(",", IntStream.rangeClosed(0, 100).mapToObj(i -> "S" + i).toList());
    assertThat(closeOf(many)).isEqualTo("1008 101 symbols, at most 100 (quotes.ws.max.symbols)");
  }

  private String closeOf(String query) {
    CompletableFuture<String> closed = new CompletableFuture<>();
    http.newWebSocketBuilder()
        .buildAsync(
            URI.create(wsUrl() + "?symbols=" + query),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                closed.complete("message " + data);
                return null;
              }

              @Override
              public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                closed.complete(status + " " + reason);
                return null;
              }
            })
        .join();
    return closed.join();
  }

  private Client connect(List<String> mine, boolean reads) {
    Client c = new Client(mine, reads);
    c.socket =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(wsUrl() + "?symbols=" + String.join(",", mine)), c)
            .join();
    return c;
  }

  /**
   * A WebSocket client that checks each message as it comes: it must be the message Redis published
   * for that symbol and seq, each symbol's seqs increasing. It keeps its first messages and the
   * newest of each symbol; one that does not read requests nothing.
   */
  private static final class Client implements WebSocket.Listener {
    final List<String> symbols;
    final boolean reads;
    final List<String> first = new CopyOnWriteArrayList<>();
    final Map<String, String> newest = new ConcurrentHashMap<>();
    final Map<String, Long> newestSeq = new ConcurrentHashMap<>();
    final List<String> wrong = new CopyOnWriteArrayList<>();
    final AtomicLong count = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    volatile WebSocket socket;

    Client(List<String> symbols, boolean reads) {
      this.symbols = symbols;
      this.reads = reads;
    }

    @Override
    public void onOpen(WebSocket ws) {
      if (reads) {
        ws.request(1);
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received(partial.toString());
        partial.setLength(0);
      }
      if (reads) {
        ws.request(1);
      }
      return null;
    }

    private void received(String m) {
      count.incrementAndGet();
      if (first.size() < symbols.size()) {
        first.add(m);
      }
      Matcher sym = SYMBOL.matcher(m);
      Matcher seq = SEQ.matcher(m);
      if (!sym.find() || !seq.find()) {
        wrong.add("unreadable: " + m);
        return;
      }
      String symbol = sym.group(1);
      long s = Long.parseLong(seq.group(1));
      if (!symbols.contains(symbol)) {
        wrong.add("not asked for: " + m);
      } else if (!m.equals(QuoteMessage.json(tick(symbol, s)))) {
        wrong.add("not the published quote: " + m);
      } else if (s <= newestSeq.getOrDefault(symbol, 0L)) {
        wrong.add("seq " + s + " after " + newestSeq.get(symbol) + ": " + m);
      }
      newestSeq.put(symbol, s);
      newest.put(symbol, m);
    }

    boolean has(long seq) {
      return symbols.stream().allMatch(s -> newestSeq.getOrDefault(s, 0L) == seq);
    }
  }

  /** Ticks {@code from..to} of every symbol, interleaved. */
  private void send(long from, long to) {
    for (long seq = from; seq <= to; seq++) {
      for (String s : symbols) {
        producer.send(new ProducerRecord<>(Topics.MARKET_TICKS.name(), s, tick(s, seq)));
      }
    }
    producer.flush();
  }

  /** The message Redis publishes for tick {@code seq} of {@code symbol}. */
  private static String published(String symbol, long seq) {
    return QuoteMessage.json(tick(symbol, seq));
  }

  private void awaitInRedis(long seq) {
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              try (Jedis jedis = jedis()) {
                return symbols.stream()
                    .allMatch(s -> Long.toString(seq).equals(jedis.hget(Names.quoteKey(s), "seq")));
              }
            });
  }

  private double metric(String name) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(stack.settings().httpUrl(Component.QUOTES) + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(body);
    assertThat(m.find()).as("metric %s", name).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private String wsUrl() {
    return stack.settings().quotesWsUrl();
  }

  private Jedis jedis() {
    return new Jedis(stack.redisUri(RedisUser.READER));
  }

  private static String group(Pattern p, String s) {
    Matcher m = p.matcher(s);
    assertThat(m.find()).as("%s in %s", p, s).isTrue();
    return m.group(1);
  }
}
