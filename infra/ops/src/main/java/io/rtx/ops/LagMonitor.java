package io.rtx.ops;

import io.rtx.ops.GroupStatus.Observation;
import io.rtx.ops.LagReport.GroupLag;
import io.rtx.ops.LagReport.PartitionLag;
import io.rtx.ops.LagSample.GroupSample;
import io.rtx.ops.LagSample.PartitionSample;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns samples taken over time into lag reports: lag in records and seconds per partition, the
 * interpolated estimate, and each group's status over the window. Pure: fed samples, no I/O, so the
 * arithmetic is tested with made-up offsets and timestamps. Not thread-safe: one poller feeds it.
 */
public final class LagMonitor {

  private final long windowMs;
  private final Map<TopicPartition, EndOffsetTable> ends = new HashMap<>();
  private final Map<String, Map<TopicPartition, Deque<Observation>>> history = new HashMap<>();

  public LagMonitor(long windowMs) {
    if (windowMs <= 0) {
      throw new IllegalArgumentException("window must be positive, got " + windowMs + " ms");
    }
    this.windowMs = windowMs;
  }

  /** Takes one sample in (samples come in time order) and reports the lag as of it. */
  public LagReport observe(LagSample sample) {
    long now = sample.timeMs();
    sample
        .endOffsets()
        .forEach(
            (tp, end) -> ends.computeIfAbsent(tp, k -> new EndOffsetTable(windowMs)).add(end, now));
    List<GroupLag> groups = new ArrayList<>();
    for (GroupSample g : sample.groups()) {
      Map<TopicPartition, Deque<Observation>> byPartition =
          history.computeIfAbsent(g.group(), k -> new HashMap<>());
      byPartition.keySet().retainAll(g.partitions().keySet());
      List<PartitionLag> partitions = new ArrayList<>();
      List<List<Observation>> windows = new ArrayList<>();
      long total = 0;
      long max = 0;
      BigDecimal maxSeconds = BigDecimal.ZERO.setScale(3);
      List<TopicPartition> sorted = new ArrayList<>(g.partitions().keySet());
      sorted.sort(
          Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
      for (TopicPartition tp : sorted) {
        PartitionSample p = g.partitions().get(tp);
        Long endOffset = sample.endOffsets().get(tp);
        if (endOffset == null) {
          continue; // the topic is gone
        }
        long lag = Math.max(0, endOffset - p.committed());
        boolean pending = lag > 0 && p.pending();
        Deque<Observation> obs = byPartition.computeIfAbsent(tp, k -> new ArrayDeque<>());
        obs.addLast(new Observation(now, p.committed(), lag, pending));
        while (obs.size() > 2 && obs.peekFirst().timeMs() < now - windowMs) {
          obs.pollFirst();
        }
        windows.add(List.copyOf(obs));
        BigDecimal seconds = lagSeconds(pending, p, now);
        OptionalDouble estimate =
            ends.get(tp)
                .estimatedLagSeconds(p.committed(), pending ? endOffset : p.committed(), now);
        partitions.add(
            new PartitionLag(
                tp.topic(),
                tp.partition(),
                p.committed(),
                endOffset,
                lag,
                seconds,
                estimate.isPresent() ? seconds(estimate.getAsDouble()) : null,
                p.memberHost(),
                p.consumerId(),
                p.clientId()));
        total += lag;
        max = Math.max(max, lag);
        // an unreadable record's age falls back to the estimate
        BigDecimal behind =
            seconds != null
                ? seconds
                : estimate.isPresent() ? seconds(estimate.getAsDouble()) : null;
        if (behind != null && behind.compareTo(maxSeconds) > 0) {
          maxSeconds = behind;
        }
      }
      groups.add(
          new GroupLag(
              g.group(),
              GroupStatus.of(g.members(), windows),
              g.state(),
              g.members(),
              total,
              max,
              maxSeconds,
              partitions));
    }
    history.keySet().retainAll(sample.groups().stream().map(GroupSample::group).toList());
    return new LagReport(Instant.ofEpochMilli(now), groups);
  }

  /**
   * Age of the first unconsumed record: now minus its timestamp; 0 when nothing waits (lag 0, or
   * only transaction markers); null when a record waits but could not be read.
   */
  static BigDecimal lagSeconds(boolean pending, PartitionSample p, long nowMs) {
    if (!pending) {
      return BigDecimal.ZERO.setScale(3);
    }
    if (p.firstUnconsumedTimestampMs().isEmpty()) {
      return null;
    }
    long ageMs = Math.max(0, nowMs - p.firstUnconsumedTimestampMs().getAsLong());
    return BigDecimal.valueOf(ageMs, 3);
  }

  private static BigDecimal seconds(double s) {
    return BigDecimal.valueOf(s).setScale(3, RoundingMode.HALF_EVEN);
  }

  /** Records appended per second to {@code topic} across the window (all its partitions). */
  public double appendRate(String topic) {
    return ends.entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic))
        .mapToDouble(e -> e.getValue().ratePerSecond())
        .sum();
  }

  /**
   * Records of {@code topic} {@code group} committed per second across the window (all its
   * partitions): what a sink landed.
   */
  public double commitRate(String group, String topic) {
    Map<TopicPartition, Deque<Observation>> byPartition = history.get(group);
    if (byPartition == null) {
      return 0;
    }
    double rate = 0;
    for (Map.Entry<TopicPartition, Deque<Observation>> e : byPartition.entrySet()) {
      Deque<Observation> obs = e.getValue();
      if (!e.getKey().topic().equals(topic) || obs.size() < 2) {
        continue;
      }
      long dt = obs.peekLast().timeMs() - obs.peekFirst().timeMs();
      rate += (obs.peekLast().committed() - obs.peekFirst().committed()) * 1000.0 / dt;
    }
    return rate;
  }
}
