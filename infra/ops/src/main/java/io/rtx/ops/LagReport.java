package io.rtx.ops;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
}
