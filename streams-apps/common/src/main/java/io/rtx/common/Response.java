package io.rtx.common;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a route answers: status, content type, extra headers and body bytes.
 *
 * @param headers headers besides {@code Content-Type}, e.g. {@code Allow} or {@code Location}
 */
public record Response(int status, String contentType, Map<String, String> headers, byte[] body) {

  public static final String JSON = "application/json";

  /** The Prometheus text exposition format, version 0.0.4. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  public Response {
    Objects.requireNonNull(contentType, "contentType");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
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
