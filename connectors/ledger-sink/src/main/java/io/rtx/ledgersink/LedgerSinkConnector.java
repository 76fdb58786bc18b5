package io.rtx.ledgersink;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Sink connector that books {@code LedgerTransaction} records into the PostgreSQL ledger: see
 * {@link LedgerSinkTask} for the write path and the module's README for semantics. Every task gets
 * the same configuration; Connect assigns each task its own topic partitions.
 */
public class LedgerSinkConnector extends SinkConnector {

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new LedgerSinkConfig(props); // fail fast on a bad configuration
    this.props = new HashMap<>(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return LedgerSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(maxTasks, props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return LedgerSinkConfig.CONFIG_DEF;
  }
}
