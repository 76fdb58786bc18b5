package io.rtx.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group (an app, a sink connector) is behind, from committed offsets: the one
 * place that reads committed and end offsets ({@code ./rtx lag} and the ops service build on {@link
 * #committed} and {@link #endOffsets}).
 */
public final class ConsumerLag {

  private ConsumerLag() {}

  /**
   * Records of {@code topic} the group has not committed yet; empty while it has committed nothing
   * there.
   */
  public static OptionalLong of(Admin admin, String group, String topic)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, Long> committed = committed(admin, group);
    long lag = 0;
    boolean any = false;
    for (var e : endOffsets(admin, topic).entrySet()) {
      Long c = committed.get(e.getKey());
      any |= c != null;
      lag += e.getValue() - (c == null ? 0 : c);
    }
    return any ? OptionalLong.of(lag) : OptionalLong.empty();
  }

  /** The group's committed offset of every partition it has committed on (none: empty). */
  public static Map<TopicPartition, Long> committed(Admin admin, String group)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, Long> committed = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    offsets.forEach(
        (tp, o) -> {
          if (o != null) {
            committed.put(tp, o.offset());
          }
        });
    return committed;
  }

  /** The end offset of every partition of {@code topic}. */
  public static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
      throws ExecutionException, InterruptedException {
    int partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      all.add(new TopicPartition(topic, p));
    }
    return endOffsets(admin, all);
  }

  /** The end offset (the offset the next record will get) of each partition. */
  public static Map<TopicPartition, Long> endOffsets(
      Admin admin, Collection<TopicPartition> partitions)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }
}
