package io.rtx.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends a query to the instance that owns its key (Kafka Streams interactive queries): the local
 * handler answers for keys held here; any other request is forwarded once, with the same method,
 * path, query, body and content type, and the owner's status and body are relayed.
 *
 * <p>A forwarded request carries {@value #FORWARDED_FROM}: the sender's address. An instance that
 * receives one for a key it does not hold answers 503 instead of forwarding again, so two instances
 * with different views of a moving partition never bounce a request between them.
 */
public final class Forwarder {

  public static final String FORWARDED_FROM = "X-Rtx-Forwarded";

  /** Connect and answer time of the owner; a query is small, an owner slower than this is sick. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final String self;
  private final HttpClient client;

  /**
   * @param self this instance's {@code host:port} ({@code application.server}), sent in {@value
   *     #FORWARDED_FROM}
   */
  public Forwarder(String self) {
    this.self = self == null || self.isBlank() ? "unnamed" : self;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * A handler that answers with {@code local} when {@code owner} says the key is held here, and
   * forwards to the owner otherwise. {@code owner} reads the key from the request and may throw
   * like any handler (a bad parameter: 400).
   */
  public HttpEndpoint.Handler toOwner(
      Function<Request, KeyOwner> owner, HttpEndpoint.Handler local) {
    return request -> {
      KeyOwner o = owner.apply(request);
      return switch (o.where()) {
        case LOCAL -> local.handle(request);
        case UNKNOWN -> Response.error(503, o.reason());
        case REMOTE ->
            request
                .header(FORWARDED_FROM)
                .map(
                    from ->
                        Response.error(
                            503,
                            "forwarded here by "
                                + from
                                + " but held by "
                                + o.address()
                                + ": the key is moving (rebalancing), retry shortly"))
                .orElseGet(() -> forward(request, o.address()));
      };
    };
  }

  private Response forward(Request request, String owner) {
    URI to;
    try {
      to = URI.create("http://" + owner + request.target());
    } catch (IllegalArgumentException e) {
      return Response.error(502, "owner " + owner + " is not a usable address: " + e.getMessage());
    }
    return forward(request, to, owner);
  }

  /**
   * {@code request} (method, body, content type) sent to {@code to} and its answer given back, or a
   * 502/504 naming {@code owner} when it cannot be had: e.g. a service answering for another.
   */
  public Response forward(Request request, URI to, String owner) {
    HttpRequest.Builder b;
    try {
      byte[] body = request.body();
      b =
          HttpRequest.newBuilder(to)
              .timeout(TIMEOUT)
              .header(FORWARDED_FROM, self)
              .method(
                  request.method(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
    } catch (IllegalArgumentException e) {
      return Response.error(502, "owner " + owner + " is not a usable address: " + e.getMessage());
    }
    request.header("Content-Type").ifPresent(type -> b.header("Content-Type", type));
    request.header("Accept").ifPresent(type -> b.header("Accept", type));
    try {
      HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(
          r.statusCode(),
          r.headers().firstValue("Content-Type").orElse(Response.JSON),
          Map.of(),
          r.body());
    } catch (HttpTimeoutException e) {
      return Response.error(
          504, "owner " + owner + " did not answer within " + TIMEOUT.toMillis() + " ms");
    } catch (IOException e) {
      return Response.error(502, "owner " + owner + " is unreachable: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Response.error(503, "interrupted while asking owner " + owner);
    }
  }

  /** The first message on the cause chain: the client's ConnectException has none itself. */
  private static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }
}
