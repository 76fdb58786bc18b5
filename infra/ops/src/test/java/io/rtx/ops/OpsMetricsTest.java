package io.rtx.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.ConnectClient.TaskState;
import io.rtx.launcher.ReplicationSlots;
import io.rtx.ops.LagReport.GroupLag;
import io.rtx.ops.LagReport.PartitionLag;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsMetricsTest {

  @Test
  void lagMetricsCarryKafkaLagExportersNamesAndLabels() {
    PartitionLag p =
        new PartitionLag(
            "market.ticks",
            3,
            700,
            1000,
            300,
            new BigDecimal("1.250"),
            new BigDecimal("1.5"),
            "/127.0.0.1",
            "c-1",
            "task-0");
    GroupLag g =
        new GroupLag(
            "connect-rtx-ticks-sink",
            GroupStatus.STALLED,
            "STABLE",
            1,
            300,
            300,
            new BigDecimal("1.250"),
            List.of(p));
    OpsSnapshot s =
        new OpsSnapshot(
            Instant.EPOCH,
            new LagReport(Instant.EPOCH, List.of(g)),
            List.of(
                new ConnectorState(
                    "rtx-ticks-sink",
                    "sink",
                    "RUNNING",
                    "w",
                    "",
                    List.of(new TaskState(0, "FAILED", "w", "boom")))),
            List.of(new OpsSnapshot.ComponentStatus("kafka", true, "127.0.0.1:9092")),
            List.of(new ReplicationSlots.Slot("rtx_ledger", "pgoutput", true, 4096)),
            2000.0,
            Map.of("connect-rtx-ticks-sink", 1500.0),
            PipelineProbe.Figures.NONE,
            PipelineProbe.Figures.NONE,
            Map.of());
    try (OpsMetrics m = new OpsMetrics("local")) {
      m.update(s);
      String text = m.scrape();
      String labels =
          "client_id=\"task-0\",cluster_name=\"local\",consumer_id=\"c-1\","
              + "group=\"connect-rtx-ticks-sink\",member_host=\"/127.0.0.1\",partition=\"3\","
              + "topic=\"market.ticks\"";
      assertThat(text)
          .contains("kafka_consumergroup_group_offset{" + labels + "} 700.0")
          .contains("kafka_consumergroup_group_lag{" + labels + "} 300.0")
          .contains("kafka_consumergroup_group_lag_seconds{" + labels + "} 1.25")
          .contains("rtx_consumergroup_group_estimated_lag_seconds{" + labels + "} 1.5")
          .contains(
              "kafka_consumergroup_group_max_lag{cluster_name=\"local\",group=\"connect-rtx-ticks-sink\"} 300.0")
          .contains(
              "kafka_consumergroup_group_max_lag_seconds{cluster_name=\"local\",group=\"connect-rtx-ticks-sink\"} 1.25")
          .contains(
              "kafka_partition_latest_offset{cluster_name=\"local\",partition=\"3\",topic=\"market.ticks\"} 1000.0")
          .contains(
              "rtx_consumergroup_status{cluster_name=\"local\",group=\"connect-rtx-ticks-sink\",status=\"STALLED\"} 1.0")
          .contains(
              "rtx_consumergroup_status{cluster_name=\"local\",group=\"connect-rtx-ticks-sink\",status=\"OK\"} 0.0")
          .contains(
              "rtx_connect_connector_state{connector=\"rtx-ticks-sink\",state=\"RUNNING\"} 1.0")
          .contains(
              "rtx_connect_connector_state{connector=\"rtx-ticks-sink\",state=\"FAILED\"} 0.0")
          .contains(
              "rtx_connect_task_state{connector=\"rtx-ticks-sink\",state=\"FAILED\",task=\"0\"} 1.0")
          .contains("rtx_replication_slot_wal_retained_bytes{slot=\"rtx_ledger\"} 4096.0")
          .contains("rtx_component_up{component=\"kafka\"} 1.0")
          .contains("rtx_ticks_in_per_second 2000.0")
          .contains("rtx_ticks_landed_per_second{group=\"connect-rtx-ticks-sink\"} 1500.0");
    }
  }
}
