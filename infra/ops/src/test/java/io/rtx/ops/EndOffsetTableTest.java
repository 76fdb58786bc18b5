package io.rtx.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.ops.EndOffsetTable.Point;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class EndOffsetTableTest {

  @Test
  void interpolatesBetweenTheObservationsAroundAnOffset() {
    EndOffsetTable t = new EndOffsetTable(60_000);
    t.add(100, 10_000);
    t.add(300, 12_000);
    t.add(400, 14_000);
    // offset 200 lies halfway from 100 (at 10 s) to 300 (at 12 s)
    assertThat(t.appendTimeOf(200)).isEqualTo(OptionalDouble.of(11_000));
    assertThat(t.appendTimeOf(350)).isEqualTo(OptionalDouble.of(13_000));
    assertThat(t.appendTimeOf(100)).isEqualTo(OptionalDouble.of(10_000));
    // at or past the newest end offset: the newest observation
    assertThat(t.appendTimeOf(400)).isEqualTo(OptionalDouble.of(14_000));
    // lag seconds at 15 s of a consumer at 200: 15 - 11
    assertThat(t.estimatedLagSeconds(200, 400, 15_000)).isEqualTo(OptionalDouble.of(4.0));
    assertThat(t.estimatedLagSeconds(400, 400, 15_000)).isEqualTo(OptionalDouble.of(0.0));
  }

  @Test
  void extrapolatesBeforeTheOldestObservationAtTheWindowsRate() {
    EndOffsetTable t = new EndOffsetTable(60_000);
    t.add(1_000, 10_000);
    t.add(3_000, 12_000); // 1 record per ms across the window
    assertThat(t.appendTimeOf(500)).isEqualTo(OptionalDouble.of(9_500));
    assertThat(t.ratePerSecond()).isEqualTo(1_000.0);
  }

  @Test
  void aFlatRunKeepsItsFirstAndLastObservation() {
    EndOffsetTable t = new EndOffsetTable(60_000);
    t.add(100, 1_000);
    t.add(100, 2_000);
    t.add(100, 3_000);
    t.add(100, 4_000);
    t.add(200, 5_000);
    assertThat(t.points())
        .containsExactly(new Point(100, 1_000), new Point(100, 4_000), new Point(200, 5_000));
    // a record after the run was appended after its end, not spread over it
    assertThat(t.appendTimeOf(150)).isEqualTo(OptionalDouble.of(4_500));
  }

  @Test
  void ignoresObservationsOutOfOrderOrGoingBack() {
    EndOffsetTable t = new EndOffsetTable(60_000);
    t.add(100, 2_000);
    t.add(200, 2_000);
    t.add(50, 3_000);
    assertThat(t.points()).containsExactly(new Point(100, 2_000));
    assertThat(t.appendTimeOf(10)).isEmpty(); // one point: no estimate
    assertThat(t.ratePerSecond()).isZero();
  }

  @Test
  void forgetsObservationsOlderThanTheWindowButKeepsTwo() {
    EndOffsetTable t = new EndOffsetTable(5_000);
    t.add(0, 0);
    t.add(10, 2_000);
    t.add(20, 4_000);
    t.add(30, 6_000);
    assertThat(t.points()).extracting(Point::timeMs).containsExactly(2_000L, 4_000L, 6_000L);
    t.add(40, 60_000);
    assertThat(t.points()).containsExactly(new Point(30, 6_000), new Point(40, 60_000));
  }

  @Test
  void aQuietPartitionGivesNoEstimateBeforeIt() {
    EndOffsetTable t = new EndOffsetTable(60_000);
    t.add(100, 1_000);
    t.add(100, 2_000);
    assertThat(t.appendTimeOf(50)).isEmpty();
    assertThat(t.estimatedLagSeconds(50, 100, 3_000)).isEmpty();
  }

  @Test
  void refusesAnEmptyWindow() {
    assertThatThrownBy(() -> new EndOffsetTable(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(List.of()).isEmpty();
  }
}
