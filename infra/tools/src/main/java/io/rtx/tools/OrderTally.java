package io.rtx.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the order gateway answered, counted as the answers arrive (thread-safe): decisions by status
 * and reject reason, pending orders, bad requests, and every other answer or failure as an HTTP
 * error by kind.
 */
final class OrderTally {

  private final ObjectMapper json = new ObjectMapper();
  private final LongAdder sent = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder pending = new LongAdder();
  private final LongAdder badRequests = new LongAdder();
  private final LongAdder httpErrors = new LongAdder();
  private final ConcurrentMap<OrderFlow.Kind, LongAdder> sentByKind = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> rejectedByReason = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> httpErrorsByKind = new ConcurrentHashMap<>();

  void sent(OrderRequest order) {
    sent.increment();
    sentByKind.computeIfAbsent(order.kind(), k -> new LongAdder()).increment();
  }

  /** One answer of {@code POST /orders}. */
  void answered(int status, String body) {
    switch (status) {
      case 200 -> decision(body);
      case 202 -> pending.increment();
      case 400 -> badRequests.increment();
      default -> httpError("HTTP " + status);
    }
  }

  /** A request that got no answer. */
  void failed(Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String kind;
    if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
      kind = "unreachable";
    } else if (e instanceof HttpTimeoutException) {
      kind = "timeout";
    } else if (e instanceof IOException) {
      kind = "I/O error";
    } else {
      kind = e.getClass().getSimpleName();
    }
    httpError(kind);
  }

  private void decision(String body) {
    JsonNode d;
    try {
      d = json.readTree(body);
    } catch (IOException e) {
      httpError("unreadable 200");
      return;
    }
    switch (d.path("status").asText()) {
      case "ACCEPTED" -> accepted.increment();
      case "REJECTED" -> {
        rejected.increment();
        if (d.path("reasons").isEmpty()) {
          count(rejectedByReason, "(none given)");
        }
        d.path("reasons").forEach(r -> count(rejectedByReason, r.asText()));
      }
      default -> httpError("200 with status '" + d.path("status").asText() + "'");
    }
  }

  private void httpError(String kind) {
    httpErrors.increment();
    count(httpErrorsByKind, kind);
  }

  private static <K> void count(ConcurrentMap<K, LongAdder> counts, K key) {
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  long sent() {
    return sent.sum();
  }

  /** The counts so far; answers still in flight are in {@code sent} only. */
  SimulateOrdersCommand.Report report(Duration elapsed) {
    return new SimulateOrdersCommand.Report(
        sent.sum(),
        sums(sentByKind),
        accepted.sum(),
        rejected.sum(),
        sums(rejectedByReason),
        pending.sum(),
        badRequests.sum(),
        httpErrors.sum(),
        sums(httpErrorsByKind),
        elapsed);
  }

  private static <K extends Comparable<K>> Map<K, Long> sums(Map<K, LongAdder> counts) {
    Map<K, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
