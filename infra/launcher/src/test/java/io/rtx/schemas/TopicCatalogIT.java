package io.rtx.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

@UsesLocalStack({Component.KAFKA})
class TopicCatalogIT {

  private final LocalStack stack;

  TopicCatalogIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void applyingTheCatalogTwiceChangesNothingTheSecondTime() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      TopicCatalog.apply(admin, Topics.ALL, (short) 1);
      TopicCatalog.Result second = TopicCatalog.apply(admin, Topics.ALL, (short) 1);

      assertThat(second.changedAnything()).as("second application: %s", second).isFalse();
      assertThat(second.warnings()).isEmpty();
      assertThat(admin.listTopics().names().get())
          .containsAll(Topics.ALL.stream().map(TopicSpec::name).toList());
      var audit = new ConfigResource(ConfigResource.Type.TOPIC, Topics.LEDGER_AUDIT.name());
      var configs = admin.describeConfigs(List.of(audit)).all().get().get(audit);
      assertThat(configs.get(TopicConfig.RETENTION_MS_CONFIG).value())
          .isEqualTo(Long.toString(7L * 366 * 24 * 3600 * 1000));
      var positions = new ConfigResource(ConfigResource.Type.TOPIC, Topics.POSITIONS.name());
      assertThat(
              admin
                  .describeConfigs(List.of(positions))
                  .all()
                  .get()
                  .get(positions)
                  .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                  .value())
          .isEqualTo("compact");
    }
  }

  @Test
  void aDriftedConfigIsPutBackAndOnlyThatOne() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      TopicCatalog.apply(admin, Topics.ALL, (short) 1);
      var ticks = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MARKET_TICKS.name());
      admin
          .incrementalAlterConfigs(
              Map.of(
                  ticks,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "1000"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
      // the broker serves the change once it has replayed the controller's metadata
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  admin
                      .describeConfigs(List.of(ticks))
                      .all()
                      .get()
                      .get(ticks)
                      .get(TopicConfig.RETENTION_MS_CONFIG)
                      .value()
                      .equals("1000"));

      TopicCatalog.Result repaired = TopicCatalog.apply(admin, Topics.ALL, (short) 1);

      assertThat(repaired.created()).isEmpty();
      assertThat(repaired.altered()).containsOnlyKeys(Topics.MARKET_TICKS.name());
      assertThat(TopicCatalog.apply(admin, Topics.ALL, (short) 1).changedAnything()).isFalse();
    }
  }
}
