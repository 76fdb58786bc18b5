package io.rtx.quotes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quotes of Redis to clients over WebSocket: {@code ws://HOST:PORT/ws/quotes?symbols=A,B}
 * (Jetty's WebSocket server on {@code quotes.ws.port}). A client gets the current quote of each of
 * its symbols, then every newer one published on {@code quotes:SYMBOL}, each message exactly as in
 * Redis ({@link QuoteMessage}). All clients share one Redis subscription ({@link QuoteFeed}); each
 * has one frame in flight at most and a {@link ConflatedQuotes} backlog, so a slow client gets the
 * newest quote of each symbol instead of a growing queue.
 */
public final class QuoteSocketServer implements AutoCloseable, MeterBinder {

  private static final Logger log = LoggerFactory.getLogger(QuoteSocketServer.class);

  public static final String PATH = "/ws/quotes";

  /** What a symbol may be made of here; anything else is refused before Redis is asked. */
  static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9._/-]{1,32}");

  /** The longest close reason WebSocket allows, in UTF-8 bytes. */
  private static final int MAX_REASON_BYTES = 123;

  private final QuoteSettings settings;
  private final QuoteFeed feed;
  private final Server server;
  private final ServerConnector connector;
  private final Set<QuoteSocket> clients = ConcurrentHashMap.newKeySet();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong conflatedByClosed = new AtomicLong();

  private QuoteSocketServer(String host, QuoteSettings settings) {
    this.settings = settings;
    this.feed = new QuoteFeed(settings);
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("quotes-ws");
    threads.setDaemon(true);
    server = new Server(threads);
    connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(settings.wsPort());
    connector.setAcceptedTcpNoDelay(true);
    connector.setAcceptedSendBufferSize(settings.wsSendBuffer());
    server.addConnector(connector);
    server.setHandler(
        WebSocketUpgradeHandler.from(
            server,
            container -> {
              // clients only listen: no timeout while their symbols are quiet; a client that
              // stops reading is caught by quotes.ws.send.timeout instead
              container.setIdleTimeout(Duration.ZERO);
              container.setMaxTextMessageSize(1024);
              container.setMaxBinaryMessageSize(1024);
              container.addMapping(PATH, (request, response, callback) -> new QuoteSocket(this));
            }));
  }

  /** Starts serving on {@code host}:{@code quotes.ws.port} and subscribing to Redis. */
  public static QuoteSocketServer start(String host, QuoteSettings settings) throws Exception {
    QuoteSocketServer s = new QuoteSocketServer(host, settings);
    try {
      s.server.start();
    } catch (Exception e) {
      s.close();
      throw new java.io.IOException(
          "cannot serve WebSocket on " + host + ":" + settings.wsPort() + " (quotes.ws.port)", e);
    }
    log.info("quotes over WebSocket on ws://{}:{}{}", host, s.port(), PATH);
    return s;
  }

  public int port() {
    return connector.getLocalPort();
  }

  QuoteSettings settings() {
    return settings;
  }

  QuoteFeed feed() {
    return feed;
  }

  /** Counts a client in, unless there are {@code quotes.ws.max.connections} already. */
  synchronized boolean admit(QuoteSocket client) {
    if (clients.size() >= settings.wsMaxConnections()) {
      refused.incrementAndGet();
      return false;
    }
    clients.add(client);
    return true;
  }

  void closed(QuoteSocket client) {
    if (clients.remove(client)) {
      conflatedByClosed.addAndGet(client.conflated());
    }
  }

  void sent() {
    sent.incrementAndGet();
  }

  void dropped() {
    dropped.incrementAndGet();
  }

  /**
   * The symbols of {@code symbols=A,B} (one parameter, comma-separated, order kept, repeats once).
   *
   * @throws IllegalArgumentException with the reason to close with
   */
  static List<String> symbols(List<String> values, int max) {
    if (values == null || values.isEmpty() || values.stream().allMatch(String::isBlank)) {
      throw new IllegalArgumentException("no symbols: ask for " + PATH + "?symbols=A,B");
    }
    Set<String> symbols = new LinkedHashSet<>();
    for (String value : values) {
      for (String s : value.split(",", -1)) {
        String symbol = s.strip();
        if (!SYMBOL.matcher(symbol).matches()) {
          throw new IllegalArgumentException(
              "invalid symbol '" + symbol + "': 1-32 of A-Z a-z 0-9 . _ / -");
        }
        symbols.add(symbol);
      }
    }
    if (symbols.size() > max) {
      throw new IllegalArgumentException(
          symbols.size() + " symbols, at most " + max + " (quotes.ws.max.symbols)");
    }
    return new ArrayList<>(symbols);
  }

  /** {@code reason}, cut to what a close frame can carry. */
  static String closeReason(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    String cut = reason;
    while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES - 3) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "...";
  }

  /**
   * {@code quotes_ws_clients}, {@code quotes_ws_backlog_max} (the largest backlog of any client, in
   * quotes: never above its symbols), {@code quotes_ws_backlog_quotes} (all backlogs), {@code
   * quotes_ws_sent_total}, {@code quotes_ws_conflated_total}, {@code quotes_ws_dropped_total},
   * {@code quotes_ws_refused_total}, {@code quotes_ws_feed_subscribed}.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("quotes.ws.clients", clients, Set::size)
        .description("open WebSocket clients of /ws/quotes")
        .register(registry);
    Gauge.builder(
            "quotes.ws.backlog.max",
            clients,
            c -> c.stream().mapToInt(QuoteSocket::backlog).max().orElse(0))
        .description("quotes waiting for the slowest client: at most its symbols")
        .register(registry);
    Gauge.builder(
            "quotes.ws.backlog.quotes",
            clients,
            c -> c.stream().mapToInt(QuoteSocket::backlog).sum())
        .description("quotes waiting for all clients")
        .register(registry);
    FunctionCounter.builder("quotes.ws.sent", sent, AtomicLong::get)
        .description("quotes written to WebSocket clients")
        .register(registry);
    FunctionCounter.builder(
            "quotes.ws.conflated",
            this,
            s ->
                s.conflatedByClosed.get()
                    + s.clients.stream().mapToLong(QuoteSocket::conflated).sum())
        .description("quotes replaced by a newer one of their symbol before a client got them")
        .register(registry);
    FunctionCounter.builder("quotes.ws.dropped", dropped, AtomicLong::get)
        .description("clients disconnected after quotes.ws.send.timeout without progress")
        .register(registry);
    FunctionCounter.builder("quotes.ws.refused", refused, AtomicLong::get)
        .description("connections closed at quotes.ws.max.connections")
        .register(registry);
    Gauge.builder("quotes.ws.feed.subscribed", feed, f -> f.subscribed() ? 1 : 0)
        .description("1 while the one Redis subscription (quotes:*) is up")
        .register(registry);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("stopping the WebSocket server", e);
    }
    feed.close();
  }
}
