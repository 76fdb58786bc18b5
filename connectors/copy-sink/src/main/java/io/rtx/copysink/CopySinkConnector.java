package io.rtx.copysink;

import io.rtx.pgsink.PgSinkConnector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Sink connector that lands records into a PostgreSQL/TimescaleDB table with COPY, idempotently:
 * see {@link CopySinkTask} for the write path and the README for semantics. Every task gets the
 * same configuration.
 */
public class CopySinkConnector extends PgSinkConnector {

  public CopySinkConnector() {
    super(CopySinkTask.class, CopySinkConfig.CONFIG_DEF, CopySinkConfig::new);
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
