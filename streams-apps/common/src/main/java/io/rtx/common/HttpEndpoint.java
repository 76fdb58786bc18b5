package io.rtx.common;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server (the JDK's) every rtx app and service answers on: routes by method and path
 * pattern ({@code /orders/{id}}), errors as {@code {"error": "..."}} with their status.
 *
 * <pre>{@code
 * HttpEndpoint http = HttpEndpoint.start(host, port, HttpEndpoint.routes()
 *     .get("/orders/{id}", req -> Response.json(200, orders.get(req.path("id"))))
 *     .post("/orders", req -> Response.json(202, submit(req.json(NewOrder.class)))));
 * }</pre>
 *
 * <p>Unknown path: 404. Known path, other method: 405 with {@code Allow}. {@link HttpError}: its
 * status. {@link IllegalArgumentException} (bad parameter, invalid JSON): 400. Anything else: 500,
 * logged with the request, only the message in the body.
 */
public final class HttpEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);

  /** Enough for queries and forwarded requests; a forward holds its thread up to its timeout. */
  private static final int THREADS = 4;

  static {
    // The server writes a response's headers and body in two segments; with Nagle's algorithm the
    // body waits for the client's delayed ACK (40 ms on Linux) on every kept-alive connection.
    // Read once, when the JDK's server class loads: set before the first server is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Requests here are small JSON documents; a larger body is refused rather than buffered. */
  static final int MAX_BODY_BYTES = 1 << 20;

  /** Answers one request. */
  @FunctionalInterface
  public interface Handler {
    Response handle(Request request) throws Exception;
  }

  /** The routes of an endpoint, by method and path pattern; immutable, each call returns a copy. */
  public static final class Routes {

    private final List<Route> routes;

    private Routes(List<Route> routes) {
      this.routes = List.copyOf(routes);
    }

    public Routes get(String pattern, Handler handler) {
      return add("GET", pattern, handler);
    }

    public Routes post(String pattern, Handler handler) {
      return add("POST", pattern, handler);
    }

    /**
     * @param pattern {@code /}-separated segments, each literal or a parameter {@code {name}}
     * @throws IllegalArgumentException for a malformed pattern or a method and pattern already
     *     routed
     */
    public Routes add(String method, String pattern, Handler handler) {
      Route route = Route.of(method, pattern, handler);
      for (Route r : routes) {
        if (r.method.equals(route.method) && r.shape().equals(route.shape())) {
          throw new IllegalArgumentException(
              method + " " + pattern + " is already routed (as " + r.pattern + ")");
        }
      }
      List<Route> more = new ArrayList<>(routes);
      more.add(route);
      return new Routes(more);
    }

    /** Wraps the handler of one route, knowing the route's method and pattern. */
    @FunctionalInterface
    public interface RouteWrapper {
      Handler wrap(String method, String pattern, Handler handler);
    }

    /**
     * These routes with every handler wrapped by {@code wrap}, given each route's method and
     * pattern.
     */
    public Routes mapRoutes(RouteWrapper wrap) {
      return new Routes(
          routes.stream()
              .map(
                  r ->
                      new Route(
                          r.method,
                          r.pattern,
                          r.segments,
                          wrap.wrap(r.method, r.pattern, r.handler)))
              .toList());
    }

    /** These routes with every handler wrapped, e.g. to refuse queries while stores are not up. */
    public Routes map(UnaryOperator<Handler> wrap) {
      return new Routes(
          routes.stream()
              .map(r -> new Route(r.method, r.pattern, r.segments, wrap.apply(r.handler)))
              .toList());
    }
  }

  /** A route: its method, pattern and handler; segments are literals or {@code {name}}. */
  private record Route(String method, String pattern, List<String> segments, Handler handler) {

    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");

    static Route of(String method, String pattern, Handler handler) {
      if (method == null || !METHOD.matcher(method).matches()) {
        throw new IllegalArgumentException("HTTP method must be upper-case letters, got " + method);
      }
      if (pattern == null || !pattern.startsWith("/")) {
        throw new IllegalArgumentException("a path pattern starts with /, got " + pattern);
      }
      if (handler == null) {
        throw new IllegalArgumentException("no handler for " + method + " " + pattern);
      }
      List<String> segments = List.of(pattern.substring(1).split("/", -1));
      List<String> names = new ArrayList<>();
      for (String s : segments) {
        if (s.contains("{") || s.contains("}")) {
          var m = PARAM.matcher(s);
          if (!m.matches()) {
            throw new IllegalArgumentException(
                "path parameter '" + s + "' in " + pattern + " must be a whole segment {name}");
          }
          if (names.contains(m.group(1))) {
            throw new IllegalArgumentException("path parameter " + s + " twice in " + pattern);
          }
          names.add(m.group(1));
        }
      }
      return new Route(method, pattern, segments, handler);
    }

    private static boolean isParam(String segment) {
      return segment.startsWith("{");
    }

    /** The pattern with parameter names left out: two routes of one shape are ambiguous. */
    String shape() {
      return String.join("/", segments.stream().map(s -> isParam(s) ? "{}" : s).toList());
    }

    long literals() {
      return segments.stream().filter(s -> !isParam(s)).count();
    }

    /** The path parameters when {@code path} (decoded segments) matches. */
    Optional<Map<String, String>> match(List<String> path) {
      if (path.size() != segments.size()) {
        return Optional.empty();
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < path.size(); i++) {
        String s = segments.get(i);
        if (isParam(s)) {
          if (path.get(i).isEmpty()) {
            return Optional.empty();
          }
          params.put(s.substring(1, s.length() - 1), path.get(i));
        } else if (!s.equals(path.get(i))) {
          return Optional.empty();
        }
      }
      return Optional.of(params);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Routes routes;

  private HttpEndpoint(HttpServer server, ExecutorService executor, Routes routes) {
    this.server = server;
    this.executor = executor;
    this.routes = routes;
  }

  /** No routes yet. */
  public static Routes routes() {
    return new Routes(List.of());
  }

  /**
   * Serves {@code routes} on {@code host:port} (port 0: any free port, see {@link #port()}).
   *
   * @throws IOException when the address cannot be bound, e.g. the port is taken
   */
  public static HttpEndpoint start(String host, int port, Routes routes) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "rtx-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpEndpoint endpoint = new HttpEndpoint(server, executor, routes);
    server.createContext("/", endpoint::serve);
    server.setExecutor(executor);
    server.start();
    return endpoint;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) {
    Response response;
    try {
      response = dispatch(exchange);
    } catch (Exception | StackOverflowError e) {
      // answered either way: a client is never left waiting on an exchange nobody will close
      response = failure(exchange, e);
    }
    if (response.deferred() != null) {
      // answered when it completes, from whichever thread completes it
      response
          .deferred()
          .whenComplete(
              (r, e) ->
                  send(
                      exchange,
                      e != null
                          ? failure(
                              exchange,
                              e instanceof java.util.concurrent.CompletionException
                                  ? e.getCause()
                                  : e)
                          : r));
      return;
    }
    send(exchange, response);
  }

  private static Response failure(HttpExchange exchange, Throwable e) {
    if (e instanceof HttpError h) {
      return Response.error(h.status(), h.getMessage());
    }
    if (e instanceof IllegalArgumentException) {
      return Response.error(400, e.getMessage());
    }
    log.error("HTTP {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
    return Response.error(
        500, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  private Response dispatch(HttpExchange exchange) throws Exception {
    String method = exchange.getRequestMethod();
    List<String> path = segments(exchange.getRequestURI().getRawPath());
    Route chosen = null;
    Map<String, String> params = null;
    TreeSet<String> allowed = new TreeSet<>();
    for (Route r : routes.routes) {
      Optional<Map<String, String>> m = r.match(path);
      if (m.isEmpty()) {
        continue;
      }
      allowed.add(r.method);
      // The most literal pattern wins: /orders/open before /orders/{id}.
      if (r.method.equals(method) && (chosen == null || r.literals() > chosen.literals())) {
        chosen = r;
        params = m.get();
      }
    }
    if (allowed.isEmpty()) {
      return Response.error(404, "no route for " + exchange.getRequestURI().getRawPath());
    }
    if (chosen == null) {
      return Response.error(
              405, method + " is not allowed here; allowed: " + String.join(", ", allowed))
          .withHeader("Allow", String.join(", ", allowed));
    }
    Request request =
        new Request(
            method, exchange.getRequestURI(), params, exchange.getRequestHeaders(), body(exchange));
    Response response = chosen.handler.handle(request);
    if (response == null) {
      throw new IllegalStateException(
          "route " + chosen.method + " " + chosen.pattern + " answered nothing");
    }
    return response;
  }

  /** Decoded path segments; {@code +} is a literal plus in a path, not a space. */
  private static List<String> segments(String rawPath) {
    String p = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    List<String> out = new ArrayList<>();
    for (String s : p.substring(1).split("/", -1)) {
      out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new HttpError(413, "request body is larger than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }

  private static void send(HttpExchange exchange, Response response) {
    try (exchange) {
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      byte[] body = response.body();
      // -1: no body at all; 0 would mean a chunked body of unknown length.
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      log.debug(
          "HTTP {} answered to a closed connection: {}", exchange.getRequestURI(), e.toString());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
