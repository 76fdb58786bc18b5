package io.rtx.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The orders app's HTTP gateway as the simulator uses it: {@code POST <url>/orders} with the
 * order's JSON, asynchronously, at most {@code maxInFlight} requests awaiting their answer; every
 * answer goes to the {@link OrderTally}.
 */
final class OrderGateway implements AutoCloseable {

  /** Longer than the gateway waits for a decision before it answers 202. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final ObjectMapper json = new ObjectMapper();
  private final URI orders;
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final OrderTally tally;
  private final ExecutorService executor;
  private final HttpClient http;

  OrderGateway(URI baseUrl, int maxInFlight, OrderTally tally) {
    String base = baseUrl.toString();
    this.orders = URI.create((base.endsWith("/") ? base : base + "/") + "orders");
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    this.tally = tally;
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "order-gateway");
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(executor)
            .build();
  }

  /** Sends {@code order}, first waiting while {@code maxInFlight} requests are unanswered. */
  void submit(OrderRequest order) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(orders)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(order)))
            .build();
    inFlight.acquire();
    tally.sent(order);
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              try {
                if (error != null) {
                  tally.failed(error);
                } else {
                  tally.answered(response.statusCode(), response.body());
                }
              } finally {
                inFlight.release();
              }
            });
  }

  /** Waits until every request sent has its answer, or {@code timeout}; true if none is left. */
  boolean awaitAnswers(Duration timeout) throws InterruptedException {
    if (inFlight.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      inFlight.release(maxInFlight);
      return true;
    }
    return false;
  }

  int inFlight() {
    return maxInFlight - inFlight.availablePermits();
  }

  String body(OrderRequest order) {
    try {
      return json.writeValueAsString(order.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
