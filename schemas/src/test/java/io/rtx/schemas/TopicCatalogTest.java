package io.rtx.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** How the catalog compares a cluster with itself; applying it is TopicCatalogIT's. */
class TopicCatalogTest {

  private static final String WEEK_MS = Long.toString(7 * 24 * 3600 * 1000L);

  @Test
  void onlyConfigsThatDifferFromTheCatalogAreAltered() {
    var configs =
        Map.of(
            resource(Topics.MARKET_TICKS),
            config(
                TopicConfig.CLEANUP_POLICY_CONFIG, "delete", TopicConfig.RETENTION_MS_CONFIG, "1"),
            // the same policies in another order are the same policy
            resource(Topics.MARKET_CANDLES_LIVE),
            config(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                "delete, compact",
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(24 * 3600 * 1000L)),
            resource(Topics.MARKET_TICKS_LATE),
            new Config(List.of(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"))));

    assertThat(
            TopicCatalog.configsThatDiffer(
                List.of(Topics.MARKET_TICKS, Topics.MARKET_CANDLES_LIVE, Topics.MARKET_TICKS_LATE),
                configs))
        .isEqualTo(
            Map.of(
                Topics.MARKET_TICKS.name(),
                Map.of(TopicConfig.RETENTION_MS_CONFIG, WEEK_MS),
                Topics.MARKET_TICKS_LATE.name(),
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    "delete",
                    TopicConfig.RETENTION_MS_CONFIG,
                    WEEK_MS)));
  }

  @Test
  void aPartitionCountThatDiffersIsReportedNotChanged() {
    var descriptions =
        Map.of(
            Topics.MARKET_TICKS.name(), description(Topics.MARKET_TICKS.name(), 3),
            Topics.MARKET_CANDLES.name(), description(Topics.MARKET_CANDLES.name(), 6));

    assertThat(
            TopicCatalog.partitionCountsThatDiffer(
                List.of(Topics.MARKET_TICKS, Topics.MARKET_CANDLES), descriptions))
        .containsExactly("market.ticks has 3 partitions, the catalog says 6 (left as is)");
  }

  private static ConfigResource resource(TopicSpec<?, ?> spec) {
    return new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
  }

  private static Config config(String k1, String v1, String k2, String v2) {
    return new Config(List.of(new ConfigEntry(k1, v1), new ConfigEntry(k2, v2)));
  }

  private static TopicDescription description(String name, int partitions) {
    return new TopicDescription(
        name,
        false,
        IntStream.range(0, partitions)
            .mapToObj(p -> new TopicPartitionInfo(p, null, List.of(), List.of()))
            .toList());
  }
}
