package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RequestTimerTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RequestTimer timer = new RequestTimer(registry);

  @Test
  void countsEachAnswerByMethodRoutePatternAndStatus() throws Exception {
    HttpEndpoint.Handler ok = timer.wrap("GET", "/candles", request -> Response.text(200, "ok"));
    HttpEndpoint.Handler missing =
        timer.wrap(
            "GET",
            "/orders/{id}",
            request -> {
              throw new HttpError(404, "no such order");
            });
    HttpEndpoint.Handler bad =
        timer.wrap(
            "GET",
            "/accounts/{id}",
            request -> {
              throw new IllegalArgumentException("bad id");
            });

    ok.handle(null);
    ok.handle(null);
    assertThatThrownBy(() -> missing.handle(null)).isInstanceOf(HttpError.class);
    assertThatThrownBy(() -> bad.handle(null)).isInstanceOf(IllegalArgumentException.class);

    assertThat(counts())
        .containsExactly(
            "http_server_requests_seconds_count{method=\"GET\",status=\"200\",uri=\"/candles\"} 2",
            "http_server_requests_seconds_count{method=\"GET\",status=\"400\",uri=\"/accounts/{id}\"} 1",
            "http_server_requests_seconds_count{method=\"GET\",status=\"404\",uri=\"/orders/{id}\"} 1");
  }

  @Test
  void aDeferredAnswerIsTimedWhenItIsGiven() throws Exception {
    CompletableFuture<Response> decision = new CompletableFuture<>();
    Response later =
        timer.wrap("POST", "/orders", request -> Response.later(decision)).handle(null);

    assertThat(counts()).isEmpty();
    decision.complete(Response.text(202, "pending"));
    assertThat(later.deferred().toCompletableFuture().get().status()).isEqualTo(202);
    assertThat(counts())
        .containsExactly(
            "http_server_requests_seconds_count{method=\"POST\",status=\"202\",uri=\"/orders\"} 1");
  }

  @Test
  void bucketsBracketTheHundredMillisecondBound() throws Exception {
    timer.wrap("GET", "/candles", request -> Response.text(200, "ok")).handle(null);
    List<String> bounds =
        Arrays.stream(registry.scrape().split("\n"))
            .filter(l -> l.startsWith("http_server_requests_seconds_bucket"))
            .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
            .toList();
    assertThat(bounds)
        .containsExactly(
            "0.001", "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.15", "0.25", "0.5", "1.0",
            "2.5", "5.0", "+Inf");
  }

  private List<String> counts() {
    return Arrays.stream(registry.scrape().split("\n"))
        .filter(l -> l.startsWith("http_server_requests_seconds_count"))
        .sorted()
        .toList();
  }
}
