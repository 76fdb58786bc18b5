package io.rtx.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.ConnectClient.TaskState;
import io.rtx.ops.LagReport.GroupLag;
import io.rtx.ops.LagReport.PartitionLag;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sink connector's group reads FAILED when the worker says the connector or a task failed. */
class LagReportTest {

  private static final String W = "127.0.0.1:8083";

  private static GroupLag group(String name, GroupStatus status, int members) {
    return new GroupLag(
        name,
        status,
        members == 0 ? "Empty" : "Stable",
        members,
        40,
        40,
        new BigDecimal("3.250"),
        List.of(
            new PartitionLag(
                "market.ticks",
                0,
                60,
                100,
                40,
                new BigDecimal("3.250"),
                null,
                "/127.0.0.1",
                "c-1",
                "task-0")));
  }

  private static ConnectorState connector(String name, String type, String state, String... tasks) {
    List<TaskState> ts = new java.util.ArrayList<>();
    for (int i = 0; i < tasks.length; i++) {
      ts.add(new TaskState(i, tasks[i], W, tasks[i].equals("FAILED") ? "boom" : null));
    }
    return new ConnectorState(name, type, state, W, state.equals("FAILED") ? "boom" : null, ts);
  }

  private static final LagReport REPORT =
      new LagReport(
          Instant.parse("2026-12-02T10:00:00Z"),
          List.of(
              group("rtx-quotes", GroupStatus.OK, 1),
              group("connect-rtx-ticks-sink", GroupStatus.STALLED, 1),
              group("connect-rtx-candles-sink", GroupStatus.OK, 1),
              group("connect-rtx-ledger-sink", GroupStatus.STOPPED, 0),
              group("connect-rtx-ledger-source", GroupStatus.OK, 1)));

  private static GroupStatus status(LagReport r, String group) {
    return r.group(group).orElseThrow().status();
  }

  @Test
  void aSinkWithAFailedTaskOrAFailedConnectorReadsFailed() {
    LagReport r =
        REPORT.withConnectors(
            List.of(
                connector("rtx-ticks-sink", "sink", "RUNNING", "RUNNING", "FAILED"),
                connector("rtx-candles-sink", "sink", "RUNNING", "RUNNING"),
                connector("rtx-ledger-sink", "sink", "FAILED")));
    assertThat(status(r, "connect-rtx-ticks-sink")).isEqualTo(GroupStatus.FAILED);
    assertThat(status(r, "connect-rtx-ledger-sink")).isEqualTo(GroupStatus.FAILED);
    assertThat(status(r, "connect-rtx-candles-sink")).isEqualTo(GroupStatus.OK);
    assertThat(status(r, "rtx-quotes")).isEqualTo(GroupStatus.OK);
    // everything but the status is as measured
    GroupLag before = REPORT.group("connect-rtx-ticks-sink").orElseThrow();
    GroupLag after = r.group("connect-rtx-ticks-sink").orElseThrow();
    assertThat(after).usingRecursiveComparison().ignoringFields("status").isEqualTo(before);
    assertThat(r.at()).isEqualTo(REPORT.at());
    assertThat(r.groups())
        .extracting(GroupLag::group)
        .isEqualTo(REPORT.groups().stream().map(GroupLag::group).toList());
  }

  @Test
  void runningPausedOrStoppedSinksAndFailedSourcesKeepTheStatusTheirOffsetsGive() {
    LagReport r =
        REPORT.withConnectors(
            List.of(
                connector("rtx-ticks-sink", "sink", "PAUSED", "PAUSED", "PAUSED"),
                connector("rtx-ledger-sink", "sink", "STOPPED"),
                // a source has no consumer group, whatever its name
                connector("rtx-ledger-source", "source", "FAILED", "FAILED")));
    assertThat(r.groups())
        .extracting(GroupLag::status)
        .containsExactly(
            GroupStatus.OK,
            GroupStatus.STALLED,
            GroupStatus.OK,
            GroupStatus.STOPPED,
            GroupStatus.OK);
    // no connectors known (the worker unreachable): nothing to mark
    assertThat(REPORT.withConnectors(List.of())).isEqualTo(REPORT);
  }

  @Test
  void failedIsTheWorstStatus() {
    assertThat(GroupStatus.values()[GroupStatus.values().length - 1]).isEqualTo(GroupStatus.FAILED);
  }
}
