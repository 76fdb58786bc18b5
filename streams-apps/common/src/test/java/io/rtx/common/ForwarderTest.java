package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of one app on port 0, each with a faked view of who owns the key: what the
 * forwarding does with each answer, without Kafka.
 */
class ForwarderTest {

  record Echo(
      String servedBy,
      String method,
      String target,
      String body,
      String contentType,
      String from) {}

  private final HttpClient client = HttpClient.newHttpClient();
  private final Instance a = new Instance("a");
  private final Instance b = new Instance("b");

  /** One instance: its owner view is set by each test; its local handler echoes the request. */
  private static final class Instance {
    final String name;
    final AtomicReference<KeyOwner> owner = new AtomicReference<>(KeyOwner.local());
    final AtomicInteger localCalls = new AtomicInteger();
    HttpEndpoint http;

    Instance(String name) {
      this.name = name;
    }

    void start() throws Exception {
      // Its own address only names it in the header of what it forwards.
      Forwarder forwarder = new Forwarder(name);
      HttpEndpoint.Handler local =
          req -> {
            localCalls.incrementAndGet();
            if (req.path().endsWith("/missing")) {
              throw new HttpError(404, "order missing not found");
            }
            if (req.path().endsWith("/slow")) {
              Thread.sleep(Forwarder.TIMEOUT.toMillis() + 1_000);
            }
            return Response.json(
                    200,
                    new Echo(
                        name,
                        req.method(),
                        req.target(),
                        req.bodyText(),
                        req.header("Content-Type").orElse(null),
                        req.header(Forwarder.FORWARDED_FROM).orElse(null)))
                .withHeader("X-Not-Relayed", "1");
          };
      http =
          HttpEndpoint.start(
              "127.0.0.1",
              0,
              HttpEndpoint.routes()
                  .get("/orders/{id}", forwarder.toOwner(req -> owner.get(), local))
                  .post("/orders/{id}/cancel", forwarder.toOwner(req -> owner.get(), local)));
    }

    String address() {
      return "127.0.0.1:" + http.port();
    }
  }

  @BeforeEach
  void start() throws Exception {
    a.start();
    b.start();
  }

  @AfterEach
  void stop() {
    a.http.close();
    b.http.close();
  }

  private HttpResponse<String> send(Instance to, HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(Instance to, String target) {
    return HttpRequest.newBuilder(URI.create("http://" + to.address() + target));
  }

  @Test
  void aKeyHeldHereIsAnsweredHere() throws Exception {
    HttpResponse<String> r = send(a, request(a, "/orders/o-1?fields=all").GET());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.read(r.body().getBytes(), Echo.class))
        .isEqualTo(new Echo("a", "GET", "/orders/o-1?fields=all", "", null, null));
  }

  @Test
  void aKeyHeldElsewhereIsForwardedOnceAndTheAnswerRelayed() throws Exception {
    a.owner.set(KeyOwner.remote(b.address()));

    HttpResponse<String> r =
        send(
            a,
            request(a, "/orders/o-1/cancel?reason=too%20late")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"by\":\"trader-7\"}")));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.headers().firstValue("X-Not-Relayed")).isEmpty();
    assertThat(Json.read(r.body().getBytes(), Echo.class))
        .isEqualTo(
            new Echo(
                "b",
                "POST",
                "/orders/o-1/cancel?reason=too%20late",
                "{\"by\":\"trader-7\"}",
                "application/json",
                "a"));
    assertThat(a.localCalls).hasValue(0);
    assertThat(b.localCalls).hasValue(1);
  }

  @Test
  void theOwnersErrorStatusIsRelayed() throws Exception {
    a.owner.set(KeyOwner.remote(b.address()));

    HttpResponse<String> r = send(a, request(a, "/orders/missing").GET());

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":\"order missing not found\"}");
  }

  @Test
  void aForwardedRequestForAKeyHeldElsewhereIsNotForwardedAgain() throws Exception {
    // Mid-rebalance each instance believes the other holds the key.
    a.owner.set(KeyOwner.remote(b.address()));
    b.owner.set(KeyOwner.remote(a.address()));

    HttpResponse<String> r = send(a, request(a, "/orders/o-1").GET());

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"forwarded here by a but held by "
                + a.address()
                + ": the key is moving (rebalancing), retry shortly\"}");
    assertThat(a.localCalls).hasValue(0);
    assertThat(b.localCalls).hasValue(0);
  }

  @Test
  void noKnownOwnerIs503WithTheReason() throws Exception {
    a.owner.set(KeyOwner.unknown("no instance holds store orders for this key, retry shortly"));

    HttpResponse<String> r = send(a, request(a, "/orders/o-1").GET());

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body())
        .isEqualTo("{\"error\":\"no instance holds store orders for this key, retry shortly\"}");
  }

  @Test
  void anUnreachableOwnerIs502WithTheReason() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    a.owner.set(KeyOwner.remote("127.0.0.1:" + closed));

    HttpResponse<String> r = send(a, request(a, "/orders/o-1").GET());

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).startsWith("{\"error\":\"owner 127.0.0.1:" + closed + " is unreachable: ");
  }

  @Test
  void aSlowOwnerIs504AfterTheTimeout() throws Exception {
    a.owner.set(KeyOwner.remote(b.address()));

    long start = System.nanoTime();
    HttpResponse<String> r = send(a, request(a, "/orders/slow").GET());

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body())
        .isEqualTo("{\"error\":\"owner " + b.address() + " did not answer within 2000 ms\"}");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_900);
  }
}
