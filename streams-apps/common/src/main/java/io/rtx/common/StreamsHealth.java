package io.rtx.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * What a Streams app answers in each state, in one place: {@code /health}, and whether routes that
 * read state stores may run. Pure functions of the state, so they are tested without a broker.
 */
public final class StreamsHealth {

  private StreamsHealth() {}

  /** RUNNING or REBALANCING: processing, and stores can be queried (a moving one may refuse). */
  public static boolean serving(State state) {
    return state == State.RUNNING || state == State.REBALANCING;
  }

  /** {@code /health}: 200 while {@link #serving}, else 503; body {@code {"state": "..."}}. */
  public static Response health(State state) {
    return health(state, Optional.empty());
  }

  /**
   * {@code /health} with the reason the app failed or waits, if it does: 503 {@code {"state":
   * "ERROR", "cause": "stream threads failed 3 times ..."}}, or 503 {@code {"state": "RUNNING",
   * "cause": "schema registry unreachable since ..."}} while records wait for the registry.
   */
  public static Response health(State state, Optional<String> cause) {
    return Response.json(
        serving(state) && cause.isEmpty() ? 200 : 503,
        new Health(state.name(), cause.orElse(null)));
  }

  /**
   * The 503 a store-reading route answers in {@code state}, or empty when it may run: {@code
   * {"error": "app is starting, retry shortly", "state": "CREATED"}}.
   */
  public static Optional<Response> refusal(State state) {
    String why =
        switch (state) {
          case RUNNING, REBALANCING -> null;
          case CREATED -> "app is starting";
          case PENDING_SHUTDOWN, NOT_RUNNING -> "app is shutting down";
          case PENDING_ERROR, ERROR -> "app has failed";
        };
    return Optional.ofNullable(why)
        .map(w -> Response.json(503, new Unavailable(w + ", retry shortly", state.name())));
  }

  /**
   * {@code handler} guarded for store reads: 503 while not {@link #serving}, and 503 when a store
   * is moving during a rebalance ({@link InvalidStateStoreException}), never 500.
   */
  public static HttpEndpoint.Handler whenServing(
      Supplier<State> state, HttpEndpoint.Handler handler) {
    return request -> {
      State now = state.get();
      Optional<Response> refused = refusal(now);
      if (refused.isPresent()) {
        return refused.get();
      }
      try {
        return handler.handle(request);
      } catch (InvalidStateStoreException e) {
        return Response.json(
            503, new Unavailable("stores are rebalancing, retry shortly", state.get().name()));
      }
    };
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Health(String state, String cause) {}

  private record Unavailable(String error, String state) {}
}
