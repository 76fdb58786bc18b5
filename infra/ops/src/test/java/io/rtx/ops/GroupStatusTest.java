package io.rtx.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.ops.GroupStatus.Observation;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupStatusTest {

  private static List<Observation> obs(long[] committed, long[] lag) {
    List<Observation> list = new java.util.ArrayList<>();
    for (int i = 0; i < committed.length; i++) {
      list.add(new Observation(i * 2_000L, committed[i], lag[i], lag[i] > 0));
    }
    return list;
  }

  @Test
  void aGroupWithoutMembersIsStopped() {
    assertThat(GroupStatus.of(0, List.of())).isEqualTo(GroupStatus.STOPPED);
    assertThat(GroupStatus.of(0, List.of(obs(new long[] {5, 5, 5}, new long[] {0, 0, 0}))))
        .isEqualTo(GroupStatus.STOPPED);
  }

  @Test
  void committedOffsetsThatDoNotMoveWhileRecordsWaitAreStalled() {
    var stuck = obs(new long[] {10, 10, 10}, new long[] {5, 9, 20});
    assertThat(GroupStatus.of(1, List.of(stuck))).isEqualTo(GroupStatus.STALLED);
  }

  @Test
  void lagGrowingAcrossTheWindowIsAWarning() {
    var falling = obs(new long[] {10, 20, 30}, new long[] {5, 9, 20});
    assertThat(GroupStatus.of(1, List.of(falling))).isEqualTo(GroupStatus.WARNING);
  }

  @Test
  void lagThatShrinksOnceOrStaysIsOk() {
    assertThat(GroupStatus.of(1, List.of(obs(new long[] {10, 20, 30}, new long[] {5, 3, 20}))))
        .isEqualTo(GroupStatus.OK);
    assertThat(GroupStatus.of(1, List.of(obs(new long[] {10, 20, 30}, new long[] {5, 5, 5}))))
        .isEqualTo(GroupStatus.OK);
  }

  @Test
  void aCaughtUpPartitionIsOkEvenWhenItsOffsetDoesNotMove() {
    assertThat(GroupStatus.of(2, List.of(obs(new long[] {10, 10, 10}, new long[] {0, 0, 0}))))
        .isEqualTo(GroupStatus.OK);
  }

  @Test
  void onlyTransactionMarkersBehindTheOffsetAreNotAStall() {
    List<Observation> markers =
        List.of(
            new Observation(0, 10, 1, false),
            new Observation(2_000, 10, 1, false),
            new Observation(4_000, 10, 1, false));
    assertThat(GroupStatus.of(1, List.of(markers))).isEqualTo(GroupStatus.OK);
  }

  @Test
  void tooFewObservationsAreOk() {
    assertThat(GroupStatus.of(1, List.of(obs(new long[] {10, 10}, new long[] {5, 9}))))
        .isEqualTo(GroupStatus.OK);
  }

  @Test
  void theWorstPartitionDecides() {
    var ok = obs(new long[] {10, 20, 30}, new long[] {0, 0, 0});
    var warning = obs(new long[] {10, 20, 30}, new long[] {1, 2, 3});
    var stalled = obs(new long[] {7, 7, 7}, new long[] {1, 2, 3});
    assertThat(GroupStatus.of(1, List.of(ok, warning))).isEqualTo(GroupStatus.WARNING);
    assertThat(GroupStatus.of(1, List.of(ok, stalled, warning))).isEqualTo(GroupStatus.STALLED);
  }
}
