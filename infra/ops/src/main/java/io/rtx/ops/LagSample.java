package io.rtx.ops;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * What the cluster said at one moment: end offsets of the partitions the groups read (and of the
 * watched topics), and per group its state, members and committed offsets, with the timestamp of
 * the first record each partition has not consumed.
 */
public record LagSample(
    long timeMs, Map<TopicPartition, Long> endOffsets, List<GroupSample> groups) {

  public LagSample {
    endOffsets = Map.copyOf(endOffsets);
    groups = List.copyOf(groups);
  }

  /** One group: its state as the coordinator says it, its member count, its partitions. */
  public record GroupSample(
      String group, String state, int members, Map<TopicPartition, PartitionSample> partitions) {
    public GroupSample {
      partitions = Map.copyOf(partitions);
    }
  }

  /**
   * One partition of a group: the committed offset; whether a record (not only transaction markers)
   * waits behind it; that record's timestamp when it could be read; the member that holds the
   * partition ({@code ""} when none).
   */
  public record PartitionSample(
      long committed,
      boolean pending,
      OptionalLong firstUnconsumedTimestampMs,
      String memberHost,
      String consumerId,
      String clientId) {

    /** A partition with nothing waiting behind {@code committed}. */
    public static PartitionSample caughtUp(long committed) {
      return new PartitionSample(committed, false, OptionalLong.empty(), "", "", "");
    }
  }
}
