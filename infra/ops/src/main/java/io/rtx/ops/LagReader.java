package io.rtx.ops;

import io.rtx.common.ConsumerLag;
import io.rtx.ops.LagSample.GroupSample;
import io.rtx.ops.LagSample.PartitionSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one {@link LagSample} from the cluster: each group's state, members and committed offsets
 * ({@link ConsumerLag}), the end offsets, and the timestamp of the first record each group has not
 * consumed — read by a consumer of our own (no group, nothing committed) assigned to the partition
 * and seeked to the committed offset.
 */
public final class LagReader implements AutoCloseable {

  /** How long one sample waits for the first unconsumed records before leaving them unread. */
  private static final Duration READ_PATIENCE = Duration.ofSeconds(2);

  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final LongSupplier clock;

  /**
   * {@code kafka}: client settings (bootstrap servers, security) without the {@code kafka.} prefix.
   */
  public LagReader(Properties kafka, LongSupplier clock) {
    this.clock = clock;
    Properties adminProps = new Properties();
    adminProps.putAll(kafka);
    adminProps.remove("application.id");
    this.admin = Admin.create(adminProps);
    Properties c = new Properties();
    c.putAll(adminProps);
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "rtx-lag-reader");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    // one record per partition is all we read: keep fetches small
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "16384");
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    this.consumer = new KafkaConsumer<>(c);
  }

  public Admin admin() {
    return admin;
  }

  /** Samples {@code groups}; end offsets of every partition of {@code watchedTopics} too. */
  public LagSample read(Collection<String> groups, Collection<String> watchedTopics)
      throws ExecutionException, InterruptedException {
    Set<String> topics = admin.listTopics().names().get();
    Map<String, ConsumerGroupDescription> described = describe(groups);
    Map<String, Map<TopicPartition, Long>> committed = new LinkedHashMap<>();
    Set<TopicPartition> partitions = new HashSet<>();
    for (String g : groups) {
      Map<TopicPartition, Long> c = new HashMap<>(ConsumerLag.committed(admin, g));
      c.keySet().removeIf(tp -> !topics.contains(tp.topic()));
      committed.put(g, c);
      partitions.addAll(c.keySet());
    }
    List<String> watched = watchedTopics.stream().filter(topics::contains).toList();
    if (!watched.isEmpty()) {
      admin
          .describeTopics(watched)
          .allTopicNames()
          .get()
          .forEach(
              (name, d) ->
                  d.partitions()
                      .forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
    }
    Map<TopicPartition, Long> ends = ConsumerLag.endOffsets(admin, partitions);
    long now = clock.getAsLong();

    // Partitions behind, each with the offsets (one per group) whose record we need.
    Map<TopicPartition, List<Long>> wanted = new HashMap<>();
    committed
        .values()
        .forEach(
            c ->
                c.forEach(
                    (tp, offset) -> {
                      if (offset < ends.getOrDefault(tp, 0L)) {
                        List<Long> offsets = wanted.computeIfAbsent(tp, k -> new ArrayList<>());
                        if (!offsets.contains(offset)) {
                          offsets.add(offset);
                        }
                      }
                    }));
    Map<TopicPartition, Map<Long, FirstRecord>> first = firstRecords(wanted, ends);

    List<GroupSample> samples = new ArrayList<>();
    for (String g : groups) {
      ConsumerGroupDescription d = described.get(g);
      Map<TopicPartition, MemberDescription> holders = new HashMap<>();
      int members = 0;
      String state = "NOT_FOUND"; // never created, or deleted
      if (d != null) {
        members = d.members().size();
        state = d.groupState().toString();
        for (MemberDescription m : d.members()) {
          m.assignment().topicPartitions().forEach(tp -> holders.put(tp, m));
        }
      }
      Map<TopicPartition, PartitionSample> ps = new HashMap<>();
      committed
          .get(g)
          .forEach(
              (tp, offset) -> {
                MemberDescription m = holders.get(tp);
                FirstRecord f =
                    first.getOrDefault(tp, Map.of()).getOrDefault(offset, FirstRecord.NOTHING);
                ps.put(
                    tp,
                    new PartitionSample(
                        offset,
                        f.pending(),
                        f.timestampMs(),
                        m == null ? "" : m.host(),
                        m == null ? "" : m.consumerId(),
                        m == null ? "" : m.clientId()));
              });
      samples.add(new GroupSample(g, state, members, ps));
    }
    return new LagSample(now, ends, samples);
  }

  /** Each group that exists, described; a group never created (or deleted) is left out. */
  private Map<String, ConsumerGroupDescription> describe(Collection<String> groups)
      throws InterruptedException, ExecutionException {
    Map<String, ConsumerGroupDescription> described = new HashMap<>();
    if (groups.isEmpty()) {
      return described;
    }
    var futures = admin.describeConsumerGroups(groups).describedGroups();
    for (var e : futures.entrySet()) {
      try {
        described.put(e.getKey(), e.getValue().get());
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof GroupIdNotFoundException)) {
          throw ex;
        }
      }
    }
    return described;
  }

  /** The first record at or after an offset: whether one waits there, and its timestamp if read. */
  private record FirstRecord(boolean pending, OptionalLong timestampMs) {
    static final FirstRecord NOTHING = new FirstRecord(false, OptionalLong.empty());
  }

  /**
   * For each partition and offset, the first record at or after it: in rounds (one position per
   * partition at a time), each polling until every partition gave a record or reached its end (only
   * transaction markers were left), or the patience ran out (pending, timestamp unknown).
   */
  private Map<TopicPartition, Map<Long, FirstRecord>> firstRecords(
      Map<TopicPartition, List<Long>> wanted, Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Map<Long, FirstRecord>> found = new HashMap<>();
    for (int round = 0; ; round++) {
      Map<TopicPartition, Long> seek = new HashMap<>();
      for (var e : wanted.entrySet()) {
        if (round < e.getValue().size()) {
          seek.put(e.getKey(), e.getValue().get(round));
        }
      }
      if (seek.isEmpty()) {
        break;
      }
      consumer.assign(seek.keySet());
      seek.forEach(consumer::seek);
      Set<TopicPartition> open = new HashSet<>(seek.keySet());
      long deadline = System.nanoTime() + READ_PATIENCE.toNanos();
      while (!open.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (open.remove(tp)) {
            found
                .computeIfAbsent(tp, k -> new HashMap<>())
                .put(seek.get(tp), new FirstRecord(true, OptionalLong.of(r.timestamp())));
          }
        }
        for (TopicPartition tp : List.copyOf(open)) {
          if (consumer.position(tp, Duration.ofSeconds(1)) >= ends.get(tp)) {
            open.remove(tp); // skipped markers up to the end: no record waits
            found.computeIfAbsent(tp, k -> new HashMap<>()).put(seek.get(tp), FirstRecord.NOTHING);
          }
        }
      }
      for (TopicPartition tp : open) {
        found
            .computeIfAbsent(tp, k -> new HashMap<>())
            .put(seek.get(tp), new FirstRecord(true, OptionalLong.empty()));
      }
    }
    consumer.assign(List.of());
    return found;
  }

  @Override
  public void close() {
    consumer.close();
    admin.close(Duration.ofSeconds(2));
  }
}
