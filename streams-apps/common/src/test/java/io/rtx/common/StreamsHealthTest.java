package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class StreamsHealthTest {

  @ParameterizedTest
  @CsvSource({
    "CREATED, 503",
    "REBALANCING, 200",
    "RUNNING, 200",
    "PENDING_SHUTDOWN, 503",
    "NOT_RUNNING, 503",
    "PENDING_ERROR, 503",
    "ERROR, 503"
  })
  void healthIsUpWhileRunningOrRebalancing(State state, int status) {
    Response health = StreamsHealth.health(state);
    assertThat(health.status()).isEqualTo(status);
    assertThat(health.contentType()).isEqualTo("application/json");
    assertThat(health.bodyText()).isEqualTo("{\"state\":\"" + state + "\"}");
  }

  @ParameterizedTest
  @CsvSource({
    "CREATED, app is starting",
    "PENDING_SHUTDOWN, app is shutting down",
    "NOT_RUNNING, app is shutting down",
    "PENDING_ERROR, app has failed",
    "ERROR, app has failed"
  })
  void storeRoutesAre503WithTheReasonWhenNotServing(State state, String why) {
    assertThat(StreamsHealth.refusal(state))
        .hasValueSatisfying(
            r -> {
              assertThat(r.status()).isEqualTo(503);
              assertThat(r.bodyText())
                  .isEqualTo(
                      "{\"error\":\"" + why + ", retry shortly\",\"state\":\"" + state + "\"}");
            });
  }

  @ParameterizedTest
  @EnumSource(
      value = State.class,
      names = {"RUNNING", "REBALANCING"})
  void storeRoutesRunWhileServing(State state) {
    assertThat(StreamsHealth.refusal(state)).isEmpty();
  }

  @Test
  void aGuardedRouteRunsOnlyWhileServingAndAMovingStoreIsA503() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpEndpoint.Handler handler =
        req -> {
          calls.incrementAndGet();
          return Response.text(200, "candles");
        };
    Request request = Request.get("/candles?symbol=EURUSD");

    assertThat(StreamsHealth.whenServing(() -> State.CREATED, handler).handle(request).status())
        .isEqualTo(503);
    assertThat(calls).hasValue(0);
    assertThat(StreamsHealth.whenServing(() -> State.RUNNING, handler).handle(request).bodyText())
        .isEqualTo("candles");

    Response moving =
        StreamsHealth.whenServing(
                () -> State.REBALANCING,
                req -> {
                  throw new InvalidStateStoreException("store candles-1m is migrating");
                })
            .handle(request);
    assertThat(moving.status()).isEqualTo(503);
    assertThat(moving.bodyText())
        .isEqualTo(
            "{\"error\":\"stores are rebalancing, retry shortly\",\"state\":\"REBALANCING\"}");
  }
}
