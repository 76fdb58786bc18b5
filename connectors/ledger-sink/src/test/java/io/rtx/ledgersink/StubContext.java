package io.rtx.ledgersink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * What a task sees of the Connect worker, as far as this sink uses it; records what the task asked
 * for.
 */
final class StubContext implements SinkTaskContext {

  final List<SinkRecord> reported = new ArrayList<>();
  final List<Throwable> reasons = new ArrayList<>();
  long timeout = -1;
  private final boolean withReporter;

  StubContext(boolean withReporter) {
    this.withReporter = withReporter;
  }

  @Override
  public ErrantRecordReporter errantRecordReporter() {
    return withReporter
        ? (record, error) -> {
          reported.add(record);
          reasons.add(error);
          return CompletableFuture.completedFuture(null);
        }
        : null;
  }

  @Override
  public void timeout(long timeoutMs) {
    timeout = timeoutMs;
  }

  @Override
  public Map<String, String> configs() {
    return Map.of();
  }

  @Override
  public void offset(Map<TopicPartition, Long> offsets) {}

  @Override
  public void offset(TopicPartition tp, long offset) {}

  @Override
  public Set<TopicPartition> assignment() {
    return Set.of();
  }

  @Override
  public void pause(TopicPartition... partitions) {}

  @Override
  public void resume(TopicPartition... partitions) {}

  @Override
  public void requestCommit() {}

  @Override
  public PluginMetrics pluginMetrics() {
    return null;
  }
}
