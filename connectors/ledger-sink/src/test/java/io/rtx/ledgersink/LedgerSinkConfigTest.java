package io.rtx.ledgersink;

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

class LedgerSinkConfigTest {

  static Map<String, String> minimal() {
    Map<String, String> props = new HashMap<>();
    props.put("connection.url", "jdbc:postgresql://127.0.0.1:5432/rtx?reWriteBatchedInserts=true");
    return props;
  }

  private static Map<String, String> with(String key, String value) {
    Map<String, String> props = minimal();
    props.put(key, value);
    return props;
  }

  @Test
  void defaults() {
    LedgerSinkConfig config = new LedgerSinkConfig(minimal());
    assertThat(config.tableName()).containsExactly("transactions", "ledger");
    assertThat(config.retryBackoffMs()).isEqualTo(1_000L);
    assertThat(config.username()).isNull();
    assertThat(config.password()).isNull();
  }

  @Test
  void thePasswordIsHiddenFromToString() {
    LedgerSinkConfig config = new LedgerSinkConfig(with("connection.password", "s3cret"));
    assertThat(config.password()).isEqualTo("s3cret");
    assertThat(config.toString()).doesNotContain("s3cret");
    assertThat(LedgerSinkConfig.CONFIG_DEF.configKeys().get("connection.password").type)
        .hasToString("PASSWORD");
  }

  @Test
  void theUrlIsRequiredAndPostgres() {
    assertThatThrownBy(() -> new LedgerSinkConfig(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("connection.url");
    assertThatThrownBy(() -> new LedgerSinkConfig(with("connection.url", "jdbc:mysql://db/rtx")))
        .hasMessageContaining("jdbc:postgresql:");
  }

  @Test
  void theTableIsASchemaQualifiedIdentifier() {
    assertThat(new LedgerSinkConfig(with("table", "ledger_copy.entries_2$")).tableName())
        .containsExactly("ledger_copy", "entries_2$");
    for (String bad :
        List.of(
            "",
            "ledger",
            "a.b.c",
            "transactions.",
            ".ledger",
            "Transactions.Ledger",
            "1tx.ledger",
            "transactions.ledger; DROP TABLE x",
            "\"transactions\".\"ledger\"",
            "transactions .ledger",
            "transactions." + "x".repeat(64))) {
      assertThatThrownBy(() -> new LedgerSinkConfig(with("table", bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("must be schema.table");
    }
  }

  @Test
  void theBackoffIsNotNegative() {
    assertThatThrownBy(() -> new LedgerSinkConfig(with("retry.backoff.ms", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("retry.backoff.ms");
  }

  @Test
  void everySettingIsDocumented() {
    assertThat(LedgerSinkConfig.CONFIG_DEF.configKeys().values())
        .allSatisfy(k -> assertThat(k.documentation).as(k.name).isNotBlank());
  }

  @Test
  void theConnectorReportsEveryProblemThroughValidate() {
    Map<String, String> props = with("table", "ledger");
    props.put("retry.backoff.ms", "-5");
    props.put("connection.url", "postgres://db");
    Map<String, List<String>> errors = new HashMap<>();
    for (ConfigValue v : new LedgerSinkConnector().validate(props).configValues()) {
      errors.put(v.name(), v.errorMessages());
    }
    assertThat(errors.get("table")).singleElement().asString().contains("schema.table");
    assertThat(errors.get("retry.backoff.ms")).isNotEmpty();
    assertThat(errors.get("connection.url")).isNotEmpty();
    assertThat(errors.get("connection.password")).isEmpty();
  }

  @Test
  void theConnectorHandsEveryTaskTheSameConfig() {
    LedgerSinkConnector connector = new LedgerSinkConnector();
    connector.start(minimal());
    assertThat(connector.taskConfigs(2))
        .hasSize(2)
        .allSatisfy(c -> assertThat(c).isEqualTo(minimal()));
    assertThat(connector.taskClass()).isEqualTo(LedgerSinkTask.class);
    assertThat(connector.version()).isNotBlank().isNotEqualTo("unknown");
    assertThat(new LedgerSinkTask().version()).isEqualTo(connector.version());
    assertThatThrownBy(() -> new LedgerSinkConnector().start(with("table", "x")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void serviceLoaderFindsTheConnector() {
    assertThat(ServiceLoader.load(SinkConnector.class).stream().map(ServiceLoader.Provider::type))
        .contains(LedgerSinkConnector.class);
  }
}
