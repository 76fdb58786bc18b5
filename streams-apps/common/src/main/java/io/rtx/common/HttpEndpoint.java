package io.rtx.common;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A small HTTP server (the JDK's) for health, metrics and interactive queries of one app. */
public final class HttpEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);

  /** A route's answer: status, content type and body. */
  public record Response(int status, String contentType, String body) {
    public static Response json(int status, String body) {
      return new Response(status, "application/json", body);
    }

    public static Response text(int status, String body) {
      return new Response(status, "text/plain; version=0.0.4; charset=utf-8", body);
    }
  }

  /** A route: query parameters in, response out. */
  @FunctionalInterface
  public interface Route {
    Response handle(Map<String, String> query) throws Exception;
  }

  private final HttpServer server;

  public HttpEndpoint(String host, int port, Map<String, Route> routes) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    routes.forEach((path, route) -> server.createContext(path, handler(route)));
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "rtx-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static HttpHandler handler(Route route) {
    return exchange -> {
      Response r;
      try {
        r = route.handle(query(exchange));
      } catch (IllegalArgumentException e) {
        r = Response.json(400, "{\"error\":" + Json.string(e.getMessage()) + "}");
      } catch (Exception e) {
        log.warn("HTTP {} failed", exchange.getRequestURI(), e);
        r = Response.json(500, "{\"error\":" + Json.string(String.valueOf(e.getMessage())) + "}");
      }
      byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", r.contentType());
      exchange.sendResponseHeaders(r.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    };
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        q.put(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
