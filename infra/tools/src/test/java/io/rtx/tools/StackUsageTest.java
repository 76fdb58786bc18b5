package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackUsageTest {

  @Test
  void readsThisProcessFromProc() {
    long self = ProcessHandle.current().pid();
    assertThat(StackUsage.cpuTicks(self)).as("CPU ticks of this JVM so far").isPositive();
    assertThat(StackUsage.pssBytes(self)).as("PSS of this JVM").isGreaterThan(10L << 20);
    long[] machine = StackUsage.machineTicks();
    assertThat(machine[0]).isPositive();
    assertThat(machine[1]).isBetween(0L, machine[0]);
    assertThat(StackUsage.cpuTicks(Long.MAX_VALUE)).as("a process that is not there").isZero();
  }

  @Test
  void measuresTheProcessesItIsGivenAndItself() {
    StackUsage usage = new StackUsage(Map::of, "bench");
    StackUsage.Report report = usage.stop();
    assertThat(report.bytesAtPeak()).containsOnlyKeys("bench");
    assertThat(report.bytesAtPeak().get("bench")).isGreaterThan(10L << 20);
    assertThat(report.peakBytes()).as("this JVM is not the stack").isZero();
    assertThat(report.cpuShares()).containsOnlyKeys("bench");
    assertThat(report.machineBusy()).isBetween(0.0, 1.0);
  }

  @Test
  void listsTheProcessesLargestFirst() {
    Map<String, Double> cpu = new LinkedHashMap<>();
    cpu.put("redis", 0.02);
    cpu.put("kafka", 0.31);
    Map<String, Long> memory = new LinkedHashMap<>();
    memory.put("redis", 20L << 20);
    memory.put("connect", 512L << 20);
    memory.put("bench", 900L << 20);
    StackUsage.Report report =
        new StackUsage.Report("bench", 10, 0.934, 0.001, cpu, 532L << 20, memory);
    assertThat(report.cpuByProcess()).isEqualTo("kafka 31%, redis 2%");
    assertThat(report.memoryByProcess())
        .isEqualTo("connect 512 MB, redis 20 MB; not counted: bench 900 MB");
    assertThat(report.stackProcesses()).isEqualTo(2);
    assertThat(report.machine())
        .isEqualTo(
            "machine 93% busy of "
                + Runtime.getRuntime().availableProcessors()
                + " cores, steal 0.1%");
  }
}
