package io.rtx.ops;

import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.schemas.Names;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lag of the platform's consumer groups at one moment, as {@code ./rtx lag}, {@code GET /api/lag}
 * and {@code /metrics} show it. Seconds are decimals with millisecond precision; {@code
 * lag_seconds} is the age of the first unconsumed record (null when it could not be read), {@code
 * estimated_lag_seconds} kafka-lag-exporter's interpolation from the end-offset rate (null until
 * the window has two observations).
 */
public record LagReport(Instant at, List<GroupLag> groups) {

  public LagReport {
    groups = List.copyOf(groups);
  }

  /** One group: its status over the window, its totals and its partitions. */
  public record GroupLag(
      String group,
      GroupStatus status,
      String state,
      int members,
      long lag,
      long maxLag,
      BigDecimal maxLagSeconds,
      List<PartitionLag> partitions) {
    public GroupLag {
      partitions = List.copyOf(partitions);
    }
  }

  /** One partition of a group. */
  public record PartitionLag(
      String topic,
      int partition,
      long committedOffset,
      long endOffset,
      long lag,
      BigDecimal lagSeconds,
      BigDecimal estimatedLagSeconds,
      String memberHost,
      String consumerId,
      String clientId) {}

  public Optional<GroupLag> group(String name) {
    return groups.stream().filter(g -> g.group().equals(name)).findFirst();
  }

  /** Only the groups named {@code name} (all when null). */
  public LagReport only(String name) {
    return name == null
        ? this
        : new LagReport(at, groups.stream().filter(g -> g.group().equals(name)).toList());
  }

  /**
   * The report with the group of each sink connector that failed marked {@link GroupStatus#FAILED}
   * (the connector or any of its tasks, as the Connect worker says in {@code connectors}), whatever
   * its offsets say: a failed task has left its partitions, so its group may otherwise read OK,
   * STALLED or STOPPED. The one place that rule lives: {@code ./rtx lag} and the ops service both
   * apply it.
   */
  public LagReport withConnectors(List<ConnectorState> connectors) {
    Set<String> failed =
        connectors.stream()
            .filter(c -> "sink".equals(c.type()) && c.anyFailed())
            .map(c -> Names.sinkGroup(c.name()))
            .collect(Collectors.toSet());
    if (failed.isEmpty()) {
      return this;
    }
    return new LagReport(
        at,
        groups.stream()
            .map(
                g ->
                    failed.contains(g.group())
                        ? new GroupLag(
                            g.group(),
                            GroupStatus.FAILED,
                            g.state(),
                            g.members(),
                            g.lag(),
                            g.maxLag(),
                            g.maxLagSeconds(),
                            g.partitions())
                        : g)
            .toList());
  }
}
