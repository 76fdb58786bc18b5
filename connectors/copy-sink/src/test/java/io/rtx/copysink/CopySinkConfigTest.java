package io.rtx.copysink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.sink.SinkConnector;
import org.junit.jupiter.api.Test;

class CopySinkConfigTest {

  static Map<String, String> minimal() {
    Map<String, String> props = new HashMap<>();
    props.put("connection.url", "jdbc:postgresql://127.0.0.1:5432/rtx");
    props.put("table", "market.ticks");
    props.put("key.columns", "symbol, seq, ts");
    return props;
  }

  private static Map<String, String> with(String key, String value) {
    Map<String, String> props = minimal();
    props.put(key, value);
    return props;
  }

  @Test
  void defaults() {
    CopySinkConfig config = new CopySinkConfig(minimal());
    assertThat(config.tableName()).containsExactly("market", "ticks");
    assertThat(config.keyColumns()).containsExactly("symbol", "seq", "ts");
    assertThat(config.columns()).isEmpty();
    assertThat(config.flushMaxRecords()).isEqualTo(2_000);
    assertThat(config.retryBackoffMs()).isEqualTo(1_000L);
    assertThat(config.username()).isNull();
    assertThat(config.password()).isNull();
  }

  @Test
  void thePasswordIsHiddenFromToString() {
    CopySinkConfig config = new CopySinkConfig(with("connection.password", "s3cret"));
    assertThat(config.password()).isEqualTo("s3cret");
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void requiredSettings() {
    for (String required : List.of("connection.url", "table", "key.columns")) {
      Map<String, String> props = minimal();
      props.remove(required);
      assertThatThrownBy(() -> new CopySinkConfig(props))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(required);
    }
  }

  @Test
  void rejectsBadValues() {
    assertThatThrownBy(() -> new CopySinkConfig(with("connection.url", "jdbc:mysql://db/rtx")))
        .hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> new CopySinkConfig(with("table", "a.b.c")))
        .hasMessageContaining("[schema.]table");
    assertThatThrownBy(() -> new CopySinkConfig(with("table", "market.")))
        .hasMessageContaining("[schema.]table");
    assertThatThrownBy(() -> new CopySinkConfig(with("key.columns", "")))
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> new CopySinkConfig(with("key.columns", "a,a")))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> new CopySinkConfig(with("flush.max.records", "0")))
        .hasMessageContaining("flush.max.records");
  }

  @Test
  void keyColumnsMustBeAmongTheConfiguredColumns() {
    assertThatThrownBy(() -> new CopySinkConfig(with("columns", "symbol,seq,bid")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key.columns");
    assertThat(new CopySinkConfig(with("columns", "symbol,seq,ts,bid")).columns())
        .containsExactly("symbol", "seq", "ts", "bid");
  }

  @Test
  void theConnectorReportsEveryProblemThroughValidate() {
    Map<String, String> props = with("columns", "symbol,bid");
    props.put("flush.max.records", "-1");
    Map<String, List<String>> errors = new HashMap<>();
    for (ConfigValue v : new CopySinkConnector().validate(props).configValues()) {
      errors.put(v.name(), v.errorMessages());
    }
    assertThat(errors.get("key.columns")).singleElement().asString().contains("columns");
    assertThat(errors.get("flush.max.records")).isNotEmpty();
    assertThat(errors.get("connection.url")).isEmpty();
  }

  @Test
  void theConnectorHandsEveryTaskTheSameConfig() {
    CopySinkConnector connector = new CopySinkConnector();
    connector.start(minimal());
    assertThat(connector.taskConfigs(2))
        .hasSize(2)
        .allSatisfy(c -> assertThat(c).isEqualTo(minimal()));
    assertThat(connector.taskClass()).isEqualTo(CopySinkTask.class);
    assertThat(connector.version()).isNotBlank().isNotEqualTo("unknown");
    assertThatThrownBy(() -> new CopySinkConnector().start(with("table", "")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void serviceLoaderFindsTheConnector() {
    assertThat(ServiceLoader.load(SinkConnector.class).stream().map(ServiceLoader.Provider::type))
        .contains(CopySinkConnector.class);
  }
}
