package io.rtx.pgsink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * A PostgreSQL sink connector of the project: checks its configuration when it starts and gives
 * every task the same one (Connect assigns each task its own topic partitions).
 */
public abstract class PgSinkConnector extends SinkConnector {

  private final Class<? extends Task> taskClass;
  private final ConfigDef definition;
  private final Function<Map<String, String>, ? extends PgSinkConfig> parse;
  private Map<String, String> props;

  protected PgSinkConnector(
      Class<? extends Task> taskClass,
      ConfigDef definition,
      Function<Map<String, String>, ? extends PgSinkConfig> parse) {
    this.taskClass = taskClass;
    this.definition = definition;
    this.parse = parse;
  }

  @Override
  public String version() {
    return version(getClass());
  }

  @Override
  public void start(Map<String, String> props) {
    parse.apply(props); // fail fast on a bad configuration
    this.props = new HashMap<>(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return taskClass;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(maxTasks, props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return definition;
  }

  /**
   * The plugin's version, from the {@code version.properties} Maven filters into the package of
   * {@code type} (its connector or task).
   */
  public static String version(Class<?> type) {
    try (InputStream in = type.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
