package io.rtx.copysink;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Sink connector that lands records into a PostgreSQL/TimescaleDB table with COPY, idempotently:
 * see {@link CopySinkTask} for the write path and the README for semantics. Every task gets the
 * same configuration; Connect assigns each task its own topic partitions.
 */
public class CopySinkConnector extends SinkConnector {

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new CopySinkConfig(props); // fail fast on a bad configuration
    this.props = new HashMap<>(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return CopySinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(maxTasks, props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return CopySinkConfig.CONFIG_DEF;
  }

  /**
   * Adds the check that spans two settings (key columns within columns) to the per-setting
   * validation.
   */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    Map<String, ConfigValue> values = new HashMap<>();
    config.configValues().forEach(v -> values.put(v.name(), v));
    ConfigValue keys = values.get(CopySinkConfig.KEY_COLUMNS);
    ConfigValue columns = values.get(CopySinkConfig.COLUMNS);
    if (keys != null
        && columns != null
        && keys.errorMessages().isEmpty()
        && columns.errorMessages().isEmpty()
        && keys.value() instanceof List<?> k
        && columns.value() instanceof List<?> c) {
      CopySinkConfig.keyColumnsProblem(strings(k), strings(c)).ifPresent(keys::addErrorMessage);
    }
    return config;
  }

  private static List<String> strings(List<?> list) {
    return list.stream().map(String::valueOf).toList();
  }
}
