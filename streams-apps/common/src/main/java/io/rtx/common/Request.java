package io.rtx.common;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as a route sees it: method, path and its parameters, decoded query parameters,
 * headers (names in any case) and body.
 */
public final class Request {

  private final String method;
  private final URI uri;
  private final Map<String, String> pathParams;
  private final Map<String, String> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  /**
   * @param uri the request target as received: raw path and raw query
   * @param pathParams decoded values of the route's {@code {name}} segments
   */
  public Request(
      String method,
      URI uri,
      Map<String, String> pathParams,
      Map<String, List<String>> headers,
      byte[] body) {
    this.method = method;
    this.uri = uri;
    this.pathParams = Map.copyOf(pathParams);
    this.query = parseQuery(uri.getRawQuery());
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> h.put(name, List.copyOf(values)));
    this.headers = Collections.unmodifiableMap(h);
    this.body = body.clone();
  }

  /** A GET of {@code target} (path and query), without headers: for tests and tools. */
  public static Request get(String target) {
    return new Request("GET", URI.create(target), Map.of(), Map.of(), new byte[0]);
  }

  /** The first value of each parameter, decoded as a form ({@code +} is a space). */
  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return Collections.unmodifiableMap(q);
    }
    // A URI holds only well-formed escapes, so decoding cannot fail here.
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.putIfAbsent(name, value);
    }
    return Collections.unmodifiableMap(q);
  }

  public String method() {
    return method;
  }

  /** The path as received, still percent-encoded. */
  public String path() {
    return uri.getRawPath();
  }

  /** Path and query as received: what a forwarded request asks the owner for. */
  public String target() {
    return uri.getRawQuery() == null
        ? uri.getRawPath()
        : uri.getRawPath() + "?" + uri.getRawQuery();
  }

  /**
   * The decoded value of the route's path parameter {@code {name}}.
   *
   * @throws IllegalStateException when the route has no such parameter (a bug in the route)
   */
  public String path(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalStateException("the route has no path parameter {" + name + "}");
    }
    return v;
  }

  /** A query parameter, decoded; empty when absent or blank. */
  public Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name)).filter(v -> !v.isBlank());
  }

  /**
   * A query parameter that must be given.
   *
   * @throws HttpError 400 naming the parameter when it is absent or blank
   */
  public String requiredQuery(String name) {
    return query(name)
        .orElseThrow(() -> new HttpError(400, "query parameter " + name + " is required"));
  }

  /** The first value of a header; names are matched in any case. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public byte[] body() {
    return body.clone();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * The body read as a {@code type} with the shared mapper ({@link Json}).
   *
   * @throws HttpError 400 when the body is not valid JSON or not a {@code type}
   */
  public <T> T json(Class<T> type) {
    try {
      return Json.read(body, type);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return method + " " + target();
  }
}
