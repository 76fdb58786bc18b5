package io.rtx.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.ConnectClient.TaskState;
import io.rtx.launcher.ReplicationSlots;
import io.rtx.ops.LagReport.GroupLag;
import io.rtx.ops.LagReport.PartitionLag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ops service's {@code /metrics}: kafka-lag-exporter's names and labels for lag, Connect's
 * connector and task states, replication slots, component health and the tick throughput, all set
 * from the poller's latest {@link OpsSnapshot} (scrapes read, never poll).
 */
public final class OpsMetrics implements AutoCloseable {

  /** Connect's states of a connector or task, for the one-hot state metrics. */
  static final List<String> CONNECT_STATES =
      List.of("UNASSIGNED", "RUNNING", "PAUSED", "STOPPED", "FAILED", "RESTARTING");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String cluster;
  private final Map<String, MultiGauge> gauges = new HashMap<>();

  public OpsMetrics(String clusterName) {
    this.cluster = clusterName;
    new JvmMemoryMetrics().bindTo(registry);
  }

  /** Where other parts of the service register meters of their own (the pipeline probes). */
  MeterRegistry registry() {
    return registry;
  }

  /** Prometheus text of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  private void set(String name, String description, List<MultiGauge.Row<?>> rows) {
    gauges
        .computeIfAbsent(
            name, n -> MultiGauge.builder(n).description(description).register(registry))
        .register(rows, true);
  }

  private static MultiGauge.Row<?> row(Tags tags, Number value) {
    return MultiGauge.Row.of(tags, value);
  }

  /** Sets every metric from {@code s}. */
  public synchronized void update(OpsSnapshot s) {
    List<MultiGauge.Row<?>> offset = new ArrayList<>();
    List<MultiGauge.Row<?>> lag = new ArrayList<>();
    List<MultiGauge.Row<?>> lagSeconds = new ArrayList<>();
    List<MultiGauge.Row<?>> estimated = new ArrayList<>();
    List<MultiGauge.Row<?>> maxLag = new ArrayList<>();
    List<MultiGauge.Row<?>> maxLagSeconds = new ArrayList<>();
    List<MultiGauge.Row<?>> sumLag = new ArrayList<>();
    List<MultiGauge.Row<?>> status = new ArrayList<>();
    Map<String, MultiGauge.Row<?>> latest = new HashMap<>();
    for (GroupLag g : s.lag().groups()) {
      Tags group = Tags.of("cluster_name", cluster, "group", g.group());
      maxLag.add(row(group, g.maxLag()));
      maxLagSeconds.add(row(group, g.maxLagSeconds()));
      sumLag.add(row(group, g.lag()));
      for (GroupStatus st : GroupStatus.values()) {
        status.add(row(group.and("status", st.name()), st == g.status() ? 1 : 0));
      }
      for (PartitionLag p : g.partitions()) {
        Tags part =
            group.and(
                Tags.of(
                    "topic", p.topic(),
                    "partition", Integer.toString(p.partition()),
                    "member_host", p.memberHost(),
                    "consumer_id", p.consumerId(),
                    "client_id", p.clientId()));
        offset.add(row(part, p.committedOffset()));
        lag.add(row(part, p.lag()));
        if (p.lagSeconds() != null) {
          lagSeconds.add(row(part, p.lagSeconds()));
        }
        if (p.estimatedLagSeconds() != null) {
          estimated.add(row(part, p.estimatedLagSeconds()));
        }
        latest.put(
            p.topic() + "/" + p.partition(),
            row(
                Tags.of(
                    "cluster_name", cluster,
                    "topic", p.topic(),
                    "partition", Integer.toString(p.partition())),
                p.endOffset()));
      }
    }
    set("kafka_consumergroup_group_offset", "Committed offset of a group on a partition", offset);
    set("kafka_consumergroup_group_lag", "Records of a partition a group has not committed", lag);
    set(
        "kafka_consumergroup_group_lag_seconds",
        "Age of the first record of a partition a group has not consumed, in seconds",
        lagSeconds);
    set(
        "rtx_consumergroup_group_estimated_lag_seconds",
        "kafka-lag-exporter's estimate: interpolated from the end-offset rate over the window",
        estimated);
    set(
        "kafka_consumergroup_group_max_lag",
        "Largest partition lag of a group, in records",
        maxLag);
    set(
        "kafka_consumergroup_group_max_lag_seconds",
        "Largest partition lag of a group, in seconds",
        maxLagSeconds);
    set("kafka_consumergroup_group_sum_lag", "Lag of a group over all partitions", sumLag);
    set(
        "kafka_partition_latest_offset",
        "End offset of a partition",
        new ArrayList<>(latest.values()));
    set(
        "rtx_consumergroup_status",
        "A group's status over the window: 1 for the current one",
        status);

    List<MultiGauge.Row<?>> connectors = new ArrayList<>();
    List<MultiGauge.Row<?>> tasks = new ArrayList<>();
    for (ConnectorState c : s.connectors()) {
      for (String st : CONNECT_STATES) {
        connectors.add(
            row(Tags.of("connector", c.name(), "state", st), st.equals(c.state()) ? 1 : 0));
        for (TaskState t : c.tasks()) {
          tasks.add(
              row(
                  Tags.of("connector", c.name(), "task", Integer.toString(t.id()), "state", st),
                  st.equals(t.state()) ? 1 : 0));
        }
      }
    }
    set("rtx_connect_connector_state", "A connector's state: 1 for the current one", connectors);
    set("rtx_connect_task_state", "A connector task's state: 1 for the current one", tasks);
    // the names JMX exporters give the Connect worker's connector metrics, for existing dashboards
    for (String st : List.of("RUNNING", "FAILED", "PAUSED")) {
      List<MultiGauge.Row<?>> counts = new ArrayList<>();
      for (ConnectorState c : s.connectors()) {
        long n = c.tasks().stream().filter(t -> st.equals(t.state())).count();
        counts.add(row(Tags.of("connector", c.name()), n));
      }
      String lower = st.toLowerCase(java.util.Locale.ROOT);
      set(
          "kafka_connect_worker_connector_" + lower + "_task_count",
          "Tasks of a connector in state " + st,
          counts);
    }

    List<MultiGauge.Row<?>> retained = new ArrayList<>();
    List<MultiGauge.Row<?>> active = new ArrayList<>();
    for (ReplicationSlots.Slot slot : s.slots()) {
      retained.add(row(Tags.of("slot", slot.name()), slot.retainedBytes()));
      active.add(row(Tags.of("slot", slot.name()), slot.active() ? 1 : 0));
    }
    set(
        "rtx_replication_slot_wal_retained_bytes",
        "WAL a replication slot holds back: pg_current_wal_lsn() - restart_lsn",
        retained);
    set("rtx_replication_slot_active", "1 while a consumer is attached to the slot", active);

    List<MultiGauge.Row<?>> up = new ArrayList<>();
    s.components().forEach(c -> up.add(row(Tags.of("component", c.component()), c.up() ? 1 : 0)));
    set("rtx_component_up", "1 while a component passes the check of ./rtx status", up);

    set(
        "rtx_ticks_in_per_second",
        "Ticks appended to market.ticks per second over the window",
        List.of(row(Tags.empty(), s.ticksInPerSecond())));
    List<MultiGauge.Row<?>> landed = new ArrayList<>();
    s.ticksLandedPerSecond().forEach((g, rate) -> landed.add(row(Tags.of("group", g), rate)));
    set(
        "rtx_ticks_landed_per_second",
        "Ticks a sink committed per second over the window (landed in the database)",
        landed);
  }

  @Override
  public void close() {
    registry.close();
  }
}
