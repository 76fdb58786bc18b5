package io.rtx.ops;

import java.util.List;

/**
 * A consumer group's health over the window, after Burrow's rules: {@link #STOPPED} when the group
 * has no members, {@link #STALLED} when a partition's committed offset does not move while records
 * wait behind it, {@link #WARNING} when a partition's lag grows across the window, else {@link
 * #OK}. The worst partition decides; declared from best to worst. {@link #FAILED}, worst of all, is
 * not read from offsets: a sink connector's group is FAILED when the Connect worker says the
 * connector or one of its tasks failed ({@link LagReport#withConnectors}).
 */
public enum GroupStatus {
  OK,
  WARNING,
  STALLED,
  STOPPED,
  FAILED;

  /**
   * One observation of a partition: its committed offset, its lag in records, and whether a record
   * (not just transaction markers) waits behind the committed offset.
   */
  public record Observation(long timeMs, long committed, long lag, boolean pending) {}

  /** Observations a partition needs before it can be judged STALLED or WARNING. */
  public static final int MIN_OBSERVATIONS = 3;

  /**
   * The status of a group with {@code members} members, from each partition's observations over the
   * window, oldest first.
   */
  public static GroupStatus of(int members, List<List<Observation>> partitions) {
    if (members == 0) {
      return STOPPED;
    }
    GroupStatus worst = OK;
    for (List<Observation> obs : partitions) {
      GroupStatus s = ofPartition(obs);
      if (s.compareTo(worst) > 0) {
        worst = s;
      }
    }
    return worst;
  }

  static GroupStatus ofPartition(List<Observation> obs) {
    if (obs.size() < MIN_OBSERVATIONS || !obs.stream().allMatch(Observation::pending)) {
      return OK;
    }
    Observation first = obs.get(0);
    if (obs.stream().allMatch(o -> o.committed() == first.committed())) {
      return STALLED;
    }
    for (int i = 1; i < obs.size(); i++) {
      if (obs.get(i).lag() < obs.get(i - 1).lag()) {
        return OK;
      }
    }
    return obs.get(obs.size() - 1).lag() > first.lag() ? WARNING : OK;
  }
}
