package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

class BoundedRocksDbTest {

  private static Settings settings(String mb) {
    return Settings.defaults("sample").with(Map.of(BoundedRocksDb.SETTING, mb));
  }

  @Test
  void theSettingPutsTheSetterAndItsBoundInTheStreamsConfig() {
    Properties props = new Properties();
    BoundedRocksDb.configure(settings("96"), props);
    assertThat(props)
        .containsEntry(
            StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName())
        .containsEntry(BoundedRocksDb.MEMORY_CONFIG, Long.toString(96L << 20));
  }

  @Test
  void aSetterOfTheUsersStays() {
    Properties props = new Properties();
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Mine");
    BoundedRocksDb.configure(settings("64"), props);
    assertThat(props)
        .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Mine");
  }

  @Test
  void aBoundOutsideItsRangeOrNotANumberIsRefusedNamingTheSetting() {
    for (String bad : new String[] {"4", "0", "-64", "2000000", "64m"}) {
      assertThatThrownBy(() -> BoundedRocksDb.configure(settings(bad), new Properties()))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(BoundedRocksDb.SETTING);
    }
  }

  @Test
  void everyStoreSharesOneWriteBufferManagerAndCachesItsIndexAndFilters() {
    BoundedRocksDb setter = new BoundedRocksDb();
    Map<String, Object> config = Map.of(BoundedRocksDb.MEMORY_CONFIG, Long.toString(64L << 20));
    try (Options a = new Options();
        Options b = new Options()) {
      // as Kafka Streams hands them over: each with a table config of its own
      a.setTableFormatConfig(new BlockBasedTableConfig());
      b.setTableFormatConfig(new BlockBasedTableConfig());
      setter.setConfig("store-a", a, config);
      setter.setConfig("store-b.1700000000000", b, config);
      assertThat(a.writeBufferManager()).isNotNull().isSameAs(b.writeBufferManager());
      BlockBasedTableConfig table = (BlockBasedTableConfig) a.tableFormatConfig();
      assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
      assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
      assertThat(a.maxWriteBufferNumber()).isEqualTo(2);
      assertThat(a.writeBufferSize()).isLessThanOrEqualTo(BoundedRocksDb.bytes() / 8);
    }
  }

  @Test
  void aStoreUnderTheSetterKeepsWhatItIsGiven() {
    StreamsBuilder b = new StreamsBuilder();
    b.table(
        "in",
        Consumed.with(Serdes.String(), Serdes.Long()),
        Materialized.<String, Long, KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(
                "totals")
            .withKeySerde(Serdes.String())
            .withValueSerde(Serdes.Long()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounded-rocksdb-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    BoundedRocksDb.configure(settings("16"), props);
    try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), props)) {
      TestInputTopic<String, Long> in =
          driver.createInputTopic("in", Serdes.String().serializer(), Serdes.Long().serializer());
      Map<String, Long> expected = new HashMap<>();
      for (long i = 0; i < 50_000; i++) {
        String key = "k" + (i % 5_000);
        in.pipeInput(key, i);
        expected.put(key, i);
      }
      KeyValueStore<String, Long> store = driver.getKeyValueStore("totals");
      expected.forEach((k, v) -> assertThat(store.get(k)).as(k).isEqualTo(v));
      assertThat(BoundedRocksDb.bytes()).isPositive();
    }
  }
}
