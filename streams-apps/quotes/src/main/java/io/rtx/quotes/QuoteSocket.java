package io.rtx.quotes;

import io.rtx.quotes.ConflatedQuotes.Pending;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One client of {@code /ws/quotes}: its symbols, its backlog (newest quote per symbol) and at most
 * one frame in flight. The next quote is written when the previous one has left for the socket, so
 * what a slow client has not read stays in the kernel's send buffer ({@code quotes.ws.send.buffer})
 * and in the backlog, never in a queue of its own. Public only because Jetty calls its listener
 * methods through method handles.
 */
public final class QuoteSocket implements Session.Listener.AutoDemanding, QuoteFeed.Listener {

  private static final Logger log = LoggerFactory.getLogger(QuoteSocket.class);

  private final QuoteSocketServer server;
  private final ConflatedQuotes backlog = new ConflatedQuotes();
  private final long sendTimeoutNanos;
  private final AtomicBoolean dropped = new AtomicBoolean();
  private volatile Session session;
  private volatile List<String> symbols = List.of();

  QuoteSocket(QuoteSocketServer server) {
    this.server = server;
    this.sendTimeoutNanos = server.settings().wsSendTimeout().toNanos();
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
    if (!server.admit(this)) {
      close(
          StatusCode.TRY_AGAIN_LATER,
          "too many connections (quotes.ws.max.connections="
              + server.settings().wsMaxConnections()
              + ")");
      return;
    }
    List<String> asked;
    try {
      asked =
          QuoteSocketServer.symbols(
              s.getUpgradeRequest().getParameterMap().get("symbols"),
              server.settings().wsMaxSymbols());
    } catch (IllegalArgumentException e) {
      close(StatusCode.POLICY_VIOLATION, e.getMessage());
      return;
    }
    Map<String, QuoteFeed.Current> current;
    try {
      current = server.feed().join(this, asked);
    } catch (JedisException e) {
      log.warn("cannot read the current quotes for a WebSocket client: {}", e.toString());
      close(StatusCode.SERVER_ERROR, "Redis unavailable; try again");
      return;
    }
    symbols = asked;
    List<String> unknown = asked.stream().filter(sym -> !current.containsKey(sym)).toList();
    if (!unknown.isEmpty()) {
      server.feed().leave(this, asked);
      close(StatusCode.POLICY_VIOLATION, "no quote for " + String.join(",", unknown));
      return;
    }
    for (String symbol : asked) {
      QuoteFeed.Current c = current.get(symbol);
      backlog.offer(symbol, c.version(), c.json());
    }
    pump();
  }

  /** A quote from the feed (subscriber thread): into the backlog, then on its way if idle. */
  @Override
  public void quote(String symbol, QuoteVersion version, String json) {
    if (!backlog.offer(symbol, version, json)) {
      return;
    }
    if (backlog.inFlightNanos(System.nanoTime()) > sendTimeoutNanos) {
      drop();
      return;
    }
    pump();
  }

  /** Sends pending quotes one at a time; a send that completes at once loops here, not deeper. */
  private void pump() {
    Session s = session;
    while (s != null && s.isOpen()) {
      Pending p = backlog.next(System.nanoTime());
      if (p == null) {
        return;
      }
      // 0: sending, 1: completed before sendText returned (this loop goes on), 2: this loop left
      AtomicInteger state = new AtomicInteger();
      s.sendText(
          p.json(),
          Callback.from(
              () -> {
                server.sent();
                backlog.sent();
                if (!state.compareAndSet(0, 1)) {
                  pump();
                }
              },
              failure -> log.debug("WebSocket send failed: {}", failure.toString())));
      if (state.compareAndSet(0, 2)) {
        return;
      }
    }
  }

  private void drop() {
    if (dropped.compareAndSet(false, true)) {
      server.dropped();
      log.info(
          "WebSocket client {} disconnected: a frame waited over {} (quotes.ws.send.timeout)",
          session.getRemoteSocketAddress(),
          server.settings().wsSendTimeout());
      session.disconnect();
    }
  }

  private void close(int status, String reason) {
    session.close(status, QuoteSocketServer.closeReason(reason), Callback.NOOP);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    server.feed().leave(this, symbols);
    server.closed(this);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("WebSocket client error: {}", cause.toString());
  }

  int backlog() {
    return backlog.size();
  }

  long conflated() {
    return backlog.conflated();
  }
}
