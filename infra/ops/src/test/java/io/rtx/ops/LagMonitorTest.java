package io.rtx.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.ops.LagReport.GroupLag;
import io.rtx.ops.LagReport.PartitionLag;
import io.rtx.ops.LagSample.GroupSample;
import io.rtx.ops.LagSample.PartitionSample;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LagMonitorTest {

  private static final TopicPartition T0 = new TopicPartition("market.ticks", 0);
  private static final TopicPartition T1 = new TopicPartition("market.ticks", 1);

  private static PartitionSample behind(long committed, long firstTimestamp) {
    return new PartitionSample(
        committed, true, OptionalLong.of(firstTimestamp), "/127.0.0.1", "c-1", "sink-0");
  }

  private static LagSample sample(long now, long end0, long end1, GroupSample... groups) {
    return new LagSample(now, Map.of(T0, end0, T1, end1), List.of(groups));
  }

  @Test
  void lagInRecordsAndSecondsPerPartitionAndForTheGroup() {
    LagMonitor m = new LagMonitor(30_000);
    LagReport r =
        m.observe(
            sample(
                100_000,
                500,
                80,
                new GroupSample(
                    "connect-rtx-ticks-sink",
                    "STABLE",
                    1,
                    Map.of(T0, behind(200, 97_250), T1, PartitionSample.caughtUp(80)))));
    GroupLag g = r.group("connect-rtx-ticks-sink").orElseThrow();
    assertThat(g.lag()).isEqualTo(300);
    assertThat(g.maxLag()).isEqualTo(300);
    assertThat(g.maxLagSeconds()).isEqualTo(new BigDecimal("2.750"));
    assertThat(g.status()).isEqualTo(GroupStatus.OK);
    PartitionLag p0 = g.partitions().get(0);
    assertThat(p0)
        .isEqualTo(
            new PartitionLag(
                "market.ticks",
                0,
                200,
                500,
                300,
                new BigDecimal("2.750"),
                null,
                "/127.0.0.1",
                "c-1",
                "sink-0"));
    PartitionLag p1 = g.partitions().get(1);
    assertThat(p1.lag()).isZero();
    assertThat(p1.lagSeconds()).isEqualTo(new BigDecimal("0.000"));
    assertThat(p1.estimatedLagSeconds()).isEqualTo(new BigDecimal("0.000")); // nothing behind
  }

  @Test
  void theEstimateInterpolatesTheEndOffsetsSeenOverTheWindow() {
    LagMonitor m = new LagMonitor(30_000);
    GroupSample g0 = new GroupSample("rtx-quotes", "STABLE", 1, Map.of(T0, behind(0, 0)));
    m.observe(sample(10_000, 1_000, 0, g0));
    GroupSample g1 = new GroupSample("rtx-quotes", "STABLE", 1, Map.of(T0, behind(1_500, 11_000)));
    LagReport r = m.observe(sample(12_000, 3_000, 0, g1));
    // offset 1,500 was the end offset at 10 s + (500 / 2,000) * 2 s = 10.5 s; now is 12 s
    PartitionLag p = r.group("rtx-quotes").orElseThrow().partitions().get(0);
    assertThat(p.estimatedLagSeconds()).isEqualTo(new BigDecimal("1.500"));
    assertThat(p.lagSeconds()).isEqualTo(new BigDecimal("1.000"));
    assertThat(m.appendRate("market.ticks")).isEqualTo(1_000.0);
    assertThat(m.commitRate("rtx-quotes", "market.ticks")).isEqualTo(750.0);
  }

  @Test
  void aRecordThatCouldNotBeReadLeavesTheSecondsUnknown() {
    LagMonitor m = new LagMonitor(30_000);
    PartitionSample unread = new PartitionSample(5, true, OptionalLong.empty(), "", "", "");
    LagReport r =
        m.observe(
            sample(1_000, 10, 0, new GroupSample("rtx-candles", "STABLE", 1, Map.of(T0, unread))));
    GroupLag g = r.group("rtx-candles").orElseThrow();
    assertThat(g.partitions().get(0).lagSeconds()).isNull();
    assertThat(g.maxLagSeconds()).isEqualTo(new BigDecimal("0.000"));
  }

  @Test
  void onlyMarkersBehindTheOffsetCountAsRecordsButNotAsSeconds() {
    LagMonitor m = new LagMonitor(30_000);
    LagReport r =
        m.observe(
            sample(
                1_000,
                11,
                0,
                new GroupSample(
                    "rtx-candles", "STABLE", 1, Map.of(T0, PartitionSample.caughtUp(10)))));
    PartitionLag p = r.group("rtx-candles").orElseThrow().partitions().get(0);
    assertThat(p.lag()).isEqualTo(1);
    assertThat(p.lagSeconds()).isEqualTo(new BigDecimal("0.000"));
  }

  @Test
  void aStoppedSinkIsStalledWhileItsMembersStayThenStoppedWhenTheyLeave() {
    LagMonitor m = new LagMonitor(10_000);
    GroupStatus last = null;
    for (int i = 0; i < 4; i++) {
      long now = 2_000L * i;
      GroupSample g =
          new GroupSample("connect-rtx-ticks-sink", "STABLE", 1, Map.of(T0, behind(100, 0)));
      last = m.observe(sample(now, 100 + 1_000L * (i + 1), 0, g)).groups().get(0).status();
    }
    assertThat(last).isEqualTo(GroupStatus.STALLED);
    GroupSample empty =
        new GroupSample("connect-rtx-ticks-sink", "EMPTY", 0, Map.of(T0, behind(100, 0)));
    assertThat(m.observe(sample(8_000, 5_000, 0, empty)).groups().get(0).status())
        .isEqualTo(GroupStatus.STOPPED);
  }

  @Test
  void aConsumerFallingBehindIsAWarningAndOkOnceItCatchesUp() {
    LagMonitor m = new LagMonitor(10_000);
    long[] committed = {100, 150, 200, 250};
    long[] end = {110, 200, 300, 400};
    GroupStatus status = null;
    for (int i = 0; i < 4; i++) {
      GroupSample g =
          new GroupSample("rtx-quotes", "STABLE", 1, Map.of(T0, behind(committed[i], 2_000L * i)));
      status = m.observe(sample(2_000L * i, end[i], 0, g)).groups().get(0).status();
    }
    assertThat(status).isEqualTo(GroupStatus.WARNING);
    GroupSample caughtUp =
        new GroupSample("rtx-quotes", "STABLE", 1, Map.of(T0, PartitionSample.caughtUp(400)));
    assertThat(m.observe(sample(8_000, 400, 0, caughtUp)).groups().get(0).status())
        .isEqualTo(GroupStatus.OK);
  }
}
