package io.rtx.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic of the platform: its name, what its records carry, and how the broker keeps it.
 *
 * @param keyType type of the record key (documentation and serde choice)
 * @param valueType type of the record value
 * @param retention how long records are kept; empty means forever (compacted latest-state topics)
 */
public record TopicSpec<K, V>(
    String name,
    Class<K> keyType,
    Class<V> valueType,
    int partitions,
    Cleanup cleanup,
    Optional<Duration> retention,
    String description) {

  public enum Cleanup {
    DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
    COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT),
    COMPACT_DELETE(TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);

    final String policy;

    Cleanup(String policy) {
      this.policy = policy;
    }

    /** The broker's {@code cleanup.policy} value. */
    public String policy() {
      return policy;
    }
  }

  /**
   * The topic-level configs this spec pins; every other config is left to the broker's defaults.
   */
  public Map<String, String> configs() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup.policy);
    c.put(
        TopicConfig.RETENTION_MS_CONFIG,
        retention.map(d -> Long.toString(d.toMillis())).orElse("-1"));
    return c;
  }
}
