package io.rtx.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Times an app's routes into {@code http_server_requests_seconds} (Prometheus histogram, labels
 * {@code method}, {@code uri} = the route's pattern, {@code status}), the figure the query-latency
 * alert reads. The buckets bracket the design's 100 ms p99 bound; a deferred answer is timed when
 * it is sent.
 */
public final class RequestTimer implements HttpEndpoint.Routes.RouteWrapper {

  /** The metric, as Micrometer names it ({@code http_server_requests_seconds} in Prometheus). */
  public static final String METRIC = "http.server.requests";

  /** Histogram buckets: fine around 100 ms, coarse beyond. */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(75),
    Duration.ofMillis(100),
    Duration.ofMillis(150),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5)
  };

  private final MeterRegistry registry;

  public RequestTimer(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public HttpEndpoint.Handler wrap(String method, String pattern, HttpEndpoint.Handler handler) {
    return request -> {
      long start = System.nanoTime();
      Response response;
      try {
        response = handler.handle(request);
      } catch (Exception | Error e) {
        record(method, pattern, statusOf(e), start);
        throw e;
      }
      if (response.deferred() != null) {
        return Response.later(
            response
                .deferred()
                .whenComplete(
                    (done, failed) ->
                        record(
                            method,
                            pattern,
                            failed != null ? statusOf(failed) : done.status(),
                            start)));
      }
      record(method, pattern, response.status(), start);
      return response;
    };
  }

  /** The status {@link HttpEndpoint} answers a failure with. */
  private static int statusOf(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e;
    if (cause instanceof HttpError h) {
      return h.status();
    }
    return cause instanceof IllegalArgumentException ? 400 : 500;
  }

  private void record(String method, String pattern, int status, long start) {
    Timer.builder(METRIC)
        .description("time to answer a request of an app's own routes")
        .tags("method", method, "uri", pattern, "status", Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }
}
