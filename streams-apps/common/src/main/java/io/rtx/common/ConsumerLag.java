package io.rtx.common;

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
 * How far a consumer group (an app, a sink connector) is behind on a topic, from committed offsets.
 */
public final class ConsumerLag {

  private ConsumerLag() {}

  /**
   * Records of {@code topic} the group has not committed yet; empty while it has committed nothing
   * there.
   */
  public static OptionalLong of(Admin admin, String group, String topic)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    int partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    var ends = admin.listOffsets(latest).all().get();
    long lag = 0;
    boolean any = false;
    for (var e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      any |= c != null;
      lag += e.getValue().offset() - (c == null ? 0 : c.offset());
    }
    return any ? OptionalLong.of(lag) : OptionalLong.empty();
  }
}
