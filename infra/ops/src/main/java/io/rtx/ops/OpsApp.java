package io.rtx.ops;

import io.rtx.common.HttpEndpoint;
import io.rtx.common.HttpError;
import io.rtx.common.Request;
import io.rtx.common.Response;
import io.rtx.common.Settings;
import io.rtx.common.StreamsApp;
import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.ReplicationSlots;
import io.rtx.launcher.Stack;
import io.rtx.launcher.StackException;
import io.rtx.launcher.StackSettings;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops service: the dashboard at {@code /} ({@link Dashboard}), the JSON API ({@code
 * /api/status}, {@code /api/lag}, {@code /api/pipeline}, {@code /api/connectors} and the restart,
 * pause and resume actions) and {@code /metrics}, all answered from the poller's latest snapshot
 * ({@link OpsService}); the actions go to the Connect worker.
 */
public final class OpsApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpsApp.class);

  /** Connector names as the actions accept them: nothing that could leave the path segment. */
  private static final Pattern CONNECTOR_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private final OpsService service;
  private final HttpEndpoint http;

  private OpsApp(OpsSettings settings, Optional<Stack> stack) throws Exception {
    service = new OpsService(settings, stack, System::currentTimeMillis);
    http =
        HttpEndpoint.start(
            settings.httpHost(),
            settings.httpPort(),
            new Dashboard(settings, () -> service.latest().isPresent()).addTo(routes(service)));
    service.start();
    log.info("ops service started; http on {}:{}", settings.httpHost(), http.port());
  }

  public static OpsApp start(OpsSettings settings, Optional<Stack> stack) throws Exception {
    return new OpsApp(settings, stack);
  }

  public static void main(String[] args) throws Exception {
    OpsSettings settings = OpsSettings.from(Settings.load("ops", args));
    OpsApp app = start(settings, localStack());
    StreamsApp.awaitShutdown(app::close);
  }

  /**
   * The local stack this process belongs to, when the launcher started it ({@code rtx.home} and
   * {@code rtx.repo} set): {@code /api/status} checks its components. Elsewhere there is none.
   */
  private static Optional<Stack> localStack() {
    String home = System.getProperty("rtx.home");
    String repo = System.getProperty("rtx.repo");
    if (home == null || repo == null) {
      return Optional.empty();
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(StackSettings.HOME, home);
    return Optional.of(new Stack(StackSettings.fromEnvironment(Path.of(repo), env)));
  }

  public int httpPort() {
    return http.port();
  }

  static HttpEndpoint.Routes routes(OpsService service) {
    return HttpEndpoint.routes()
        .get("/health", r -> Response.json(200, Map.of("status", "UP")))
        .get("/metrics", r -> Response.of(200, Response.PROMETHEUS_TEXT, service.scrape()))
        .get("/api/status", r -> Response.json(200, status(snapshot(service))))
        .get("/api/lag", r -> Response.json(200, lag(snapshot(service), r)))
        .get("/api/pipeline", r -> Response.json(200, pipeline(snapshot(service))))
        .get("/api/connectors", r -> Response.json(200, connectors(snapshot(service))))
        .post(
            "/api/connectors/{name}/restart",
            r -> {
              boolean onlyFailed = Boolean.parseBoolean(flag(r, "only_failed"));
              return action(r, "restart", name -> service.connect().restart(name, onlyFailed));
            })
        .post(
            "/api/connectors/{name}/pause",
            r -> action(r, "pause", name -> service.connect().pause(name)))
        .post(
            "/api/connectors/{name}/resume",
            r -> action(r, "resume", name -> service.connect().resume(name)));
  }

  private static String flag(Request r, String name) {
    String v = r.query(name).orElse("false");
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
    }
    return v;
  }

  private static OpsSnapshot snapshot(OpsService service) {
    return service
        .latest()
        .orElseThrow(() -> new HttpError(503, "the first poll is not done yet, retry shortly"));
  }

  /** {@code GET /api/status}: every component as {@code ./rtx status} checks it, and the slots. */
  record StatusAnswer(
      Instant checkedAt,
      List<OpsSnapshot.ComponentStatus> components,
      List<SlotAnswer> slots,
      Map<String, String> errors) {}

  record SlotAnswer(String name, String plugin, boolean active, long retainedBytes) {}

  static StatusAnswer status(OpsSnapshot s) {
    return new StatusAnswer(
        s.at(),
        s.components(),
        s.slots().stream()
            .map(
                (ReplicationSlots.Slot x) ->
                    new SlotAnswer(x.name(), x.plugin(), x.active(), x.retainedBytes()))
            .toList(),
        s.errors());
  }

  /** {@code GET /api/lag}: lag per group and partition, and the tick throughput. */
  record LagAnswer(
      Instant at,
      List<LagReport.GroupLag> groups,
      BigDecimal ticksInPerSecond,
      Map<String, BigDecimal> ticksLandedPerSecond,
      String error) {}

  static LagAnswer lag(OpsSnapshot s, Request r) {
    String group = r.query("group").orElse(null);
    Map<String, BigDecimal> landed = new LinkedHashMap<>();
    s.ticksLandedPerSecond().forEach((g, rate) -> landed.put(g, rate(rate)));
    LagReport report = s.lag().only(group);
    return new LagAnswer(
        report.at(), report.groups(), rate(s.ticksInPerSecond()), landed, s.errors().get("lag"));
  }

  /**
   * {@code GET /api/pipeline}: ticks in and landed per second, tick → quote latency and candle
   * close delay over the last poll interval.
   */
  record PipelineAnswer(
      Instant at,
      BigDecimal ticksInPerSecond,
      Map<String, BigDecimal> ticksLandedPerSecond,
      PipelineProbe.Figures tickToQuote,
      PipelineProbe.Figures candleCloseDelay) {}

  static PipelineAnswer pipeline(OpsSnapshot s) {
    Map<String, BigDecimal> landed = new LinkedHashMap<>();
    s.ticksLandedPerSecond().forEach((g, rate) -> landed.put(g, rate(rate)));
    return new PipelineAnswer(
        s.at(), rate(s.ticksInPerSecond()), landed, s.tickToQuote(), s.candleClose());
  }

  private static BigDecimal rate(double perSecond) {
    return BigDecimal.valueOf(perSecond).setScale(1, RoundingMode.HALF_EVEN);
  }

  /** {@code GET /api/connectors}. */
  record ConnectorsAnswer(Instant at, List<ConnectorState> connectors, String error) {}

  static ConnectorsAnswer connectors(OpsSnapshot s) {
    return new ConnectorsAnswer(s.at(), s.connectors(), s.errors().get("connectors"));
  }

  record ActionAnswer(String connector, String action) {}

  private static Response action(Request r, String action, Consumer<String> call) {
    String name = r.path("name");
    if (!CONNECTOR_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a connector name: '" + name + "'");
    }
    try {
      call.accept(name);
    } catch (StackException e) {
      int status = e.getMessage().startsWith("no connector ") ? 404 : 502;
      throw new HttpError(status, e.getMessage());
    }
    log.info("connector {}: {} asked", name, action);
    return Response.json(202, new ActionAnswer(name, action));
  }

  @Override
  public void close() {
    http.close();
    service.close();
  }
}
