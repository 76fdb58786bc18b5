package io.rtx.ops;

import io.rtx.launcher.ConnectClient;
import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.ReplicationSlots;
import io.rtx.launcher.Stack;
import io.rtx.ops.OpsSnapshot.ComponentStatus;
import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import io.rtx.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background poller of the ops service: every {@code ops.poll.interval} it reads the lag of
 * the platform's groups, the connectors, the replication slots, the components' status and the
 * {@link PipelineProbe}'s delays, and publishes one {@link OpsSnapshot} that the JSON API and
 * {@code /metrics} answer from. Requests never reach Kafka, Connect or PostgreSQL themselves, so
 * scraping often costs nothing.
 */
public final class OpsService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpsService.class);

  private final OpsSettings settings;
  private final Optional<Stack> stack;
  private final ConnectClient connect;
  private final LagReader reader;
  private final LagMonitor monitor;
  private final OpsMetrics metrics;
  private final PipelineProbe probe;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rtx-ops-poller");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, String> lastErrors = new LinkedHashMap<>();
  private volatile OpsSnapshot latest;

  /**
   * @param stack the local stack whose components {@code /api/status} checks, when there is one
   */
  public OpsService(OpsSettings settings, Optional<Stack> stack, LongSupplier clock) {
    this.settings = settings;
    this.stack = stack;
    this.connect = new ConnectClient(settings.connectUrl().toString());
    this.reader = new LagReader(settings.kafka(), clock);
    this.monitor = new LagMonitor(settings.lagWindow().toMillis());
    this.metrics = new OpsMetrics(settings.clusterName());
    this.probe = new PipelineProbe(settings, metrics.registry(), clock);
    this.latest = null;
  }

  public void start() {
    probe.start();
    poller.scheduleWithFixedDelay(
        this::pollSafely, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The latest snapshot; empty until the first poll is done. */
  public Optional<OpsSnapshot> latest() {
    return Optional.ofNullable(latest);
  }

  public ConnectClient connect() {
    return connect;
  }

  public String scrape() {
    return metrics.scrape();
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.error("poll failed", e);
    }
  }

  /** One round: each part read on its own, a failed part keeps its previous value. */
  void poll() {
    OpsSnapshot before = latest;
    Map<String, String> errors = new LinkedHashMap<>();

    List<ConnectorState> connectors = before == null ? List.of() : before.connectors();
    Optional<List<ConnectorState>> read = Optional.empty();
    try {
      read = Optional.of(connect.states());
      connectors = read.get();
    } catch (RuntimeException e) {
      errors.put("connectors", message(e));
    }

    LagReport lag = before == null ? new LagReport(Instant.EPOCH, List.of()) : before.lag();
    try {
      List<String> groups = PlatformGroups.of(reader.admin(), read);
      // a sink whose connector or task failed reads FAILED (its last known state if unreadable)
      lag =
          monitor
              .observe(reader.read(groups, List.of(Topics.MARKET_TICKS.name())))
              .withConnectors(connectors);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      errors.put("lag", message(e));
    }

    List<ComponentStatus> components = before == null ? List.of() : before.components();
    List<ReplicationSlots.Slot> slots = before == null ? List.of() : before.slots();
    if (stack.isPresent()) {
      Stack st = stack.get();
      try {
        List<ComponentStatus> now = new ArrayList<>();
        st.status(EnumSet.allOf(Component.class))
            .forEach(
                (c, up) -> now.add(new ComponentStatus(c.id(), up, st.settings().endpoint(c))));
        components = now;
      } catch (RuntimeException e) {
        errors.put("status", message(e));
      }
      try {
        slots = new ReplicationSlots(st.settings()).list();
      } catch (RuntimeException e) {
        errors.put("slots", message(e));
      }
    }

    Map<String, Double> landed = new LinkedHashMap<>();
    for (LagReport.GroupLag g : lag.groups()) {
      if (g.group().startsWith(Names.sinkGroup(""))
          && g.partitions().stream().anyMatch(p -> p.topic().equals(Topics.MARKET_TICKS.name()))) {
        landed.put(g.group(), monitor.commitRate(g.group(), Topics.MARKET_TICKS.name()));
      }
    }
    OpsSnapshot s =
        new OpsSnapshot(
            Instant.now(),
            lag,
            connectors,
            components,
            slots,
            monitor.appendRate(Topics.MARKET_TICKS.name()),
            landed,
            probe.tickToQuote(),
            probe.candleClose(),
            errors);
    metrics.update(s);
    latest = s;
    logChanges(errors);
  }

  /** A part's failure is logged when it starts or changes, and its recovery once. */
  private void logChanges(Map<String, String> errors) {
    errors.forEach(
        (part, msg) -> {
          if (!msg.equals(lastErrors.get(part))) {
            log.warn("cannot read {}: {}", part, msg);
          }
        });
    lastErrors.keySet().stream()
        .filter(part -> !errors.containsKey(part))
        .forEach(part -> log.info("{} readable again", part));
    lastErrors.clear();
    lastErrors.putAll(errors);
  }

  private static String message(Exception e) {
    Throwable t =
        e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
            ? e.getCause()
            : e;
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public void close() {
    probe.close();
    poller.shutdownNow();
    try {
      poller.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close();
    metrics.close();
  }
}
