package io.rtx.common;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What a route answers: status, content type, extra headers and body bytes — or, for a route that
 * waits on something else (a decision, another service), the answer still to come ({@link #later}),
 * so the waiting holds no server thread.
 *
 * @param headers headers besides {@code Content-Type}, e.g. {@code Allow} or {@code Location}
 * @param deferred the answer to send once it completes; null for an answer given now
 */
public record Response(
    int status,
    String contentType,
    Map<String, String> headers,
    byte[] body,
    CompletionStage<Response> deferred) {

  public static final String JSON = "application/json";

  /** The Prometheus text exposition format, version 0.0.4. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  public Response {
    Objects.requireNonNull(contentType, "contentType");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  public Response(int status, String contentType, Map<String, String> headers, byte[] body) {
    this(status, contentType, headers, body, null);
  }

  /** The answer {@code later} completes with; the server sends it then. */
  public static Response later(CompletionStage<Response> later) {
    return new Response(500, JSON, Map.of(), new byte[0], Objects.requireNonNull(later));
  }

  /** {@code value} serialized with the shared mapper ({@link Json}). */
  public static Response json(int status, Object value) {
    return new Response(status, JSON, Map.of(), Json.bytes(value));
  }

  /** Plain UTF-8 text. */
  public static Response text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text);
  }

  public static Response of(int status, String contentType, String body) {
    return new Response(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {"error": message}}, the body of every error this project's endpoints answer. */
  public static Response error(int status, String message) {
    return json(status, new Error(message == null ? "error" : message));
  }

  /** This response with one more header (replacing one of the same name). */
  public Response withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Response(status, contentType, h, body);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  private record Error(String error) {}
}
