package io.rtx.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the stack's processes take while a phase runs, read from Linux's {@code /proc}: each
 * process's share of the machine's CPU, the machine's own busy and steal time, and the peak of the
 * stack's summed memory (PSS, so pages shared between processes, such as PostgreSQL's shared
 * buffers, count once; this JVM is listed but not counted in it). A process counts with its live
 * descendants (PostgreSQL's backends).
 */
final class StackUsage {

  /** Linux's USER_HZ: the unit of CPU times in /proc (100 on every mainstream kernel). */
  private static final double TICKS_PER_SECOND = 100;

  private static final Path PROC = Path.of("/proc");

  /** What was measured, from {@link #stop()}. */
  record Report(
      String self,
      double seconds,
      double machineBusy,
      double machineSteal,
      Map<String, Double> cpuShares,
      long peakBytes,
      Map<String, Long> bytesAtPeak) {

    /** "machine 93% busy of 2 cores, steal 0.0%". */
    String machine() {
      return String.format(
          "machine %.0f%% busy of %d cores, steal %.1f%%",
          100 * machineBusy, Runtime.getRuntime().availableProcessors(), 100 * machineSteal);
    }

    /** The processes by CPU share of the machine, largest first: "broker 31%, connect 22%, …". */
    String cpuByProcess() {
      StringBuilder s = new StringBuilder();
      cpuShares.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .forEach(e -> s.append(String.format("%s %.0f%%, ", e.getKey(), 100 * e.getValue())));
      return s.isEmpty() ? "" : s.substring(0, s.length() - 2);
    }

    /**
     * The stack's processes by memory at the peak, largest first, then this JVM: "connect 512 MB,
     * …; not counted: bench 900 MB".
     */
    String memoryByProcess() {
      StringBuilder s = new StringBuilder();
      bytesAtPeak.entrySet().stream()
          .filter(e -> !e.getKey().equals(self))
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> s.append(String.format("%s %d MB, ", e.getKey(), e.getValue() >> 20)));
      String stack = s.isEmpty() ? "" : s.substring(0, s.length() - 2);
      Long own = bytesAtPeak.get(self);
      return own == null
          ? stack
          : stack + String.format("; not counted: %s %d MB", self, own >> 20);
    }

    /** Processes of the stack at the peak, this JVM not counted. */
    int stackProcesses() {
      return (int) bytesAtPeak.keySet().stream().filter(name -> !name.equals(self)).count();
    }
  }

  private final Supplier<Map<String, Long>> current;
  private final String self;
  private final Map<String, Long> pids; // at the start: CPU is measured for these
  private final long startNanos = System.nanoTime();
  private final long[] machineAtStart = machineTicks();
  private final Map<String, Long> cpuAtStart = new LinkedHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread sampler;
  private long peakBytes;
  private Map<String, Long> bytesAtPeak = Map.of();

  /**
   * Starts measuring.
   *
   * @param processes the processes by name, asked again at each memory sample (a process restarted
   *     meanwhile counts for memory, for CPU only the one running at the start)
   * @param self the name of this JVM, measured too (without its descendants: the processes it
   *     started are measured by their own names)
   */
  StackUsage(Supplier<Map<String, Long>> processes, String self) {
    this.current = processes;
    this.self = self;
    this.pids = withSelf();
    this.pids.forEach((name, pid) -> cpuAtStart.put(name, cpuTicks(pid)));
    this.sampler = new Thread(this::sample, "bench-usage");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    while (running.get()) {
      sampleMemory();
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sampleMemory() {
    Map<String, Long> now = new LinkedHashMap<>();
    withSelf().forEach((name, pid) -> now.put(name, pssBytes(pid)));
    long total = now.values().stream().mapToLong(Long::longValue).sum() - now.get(self);
    synchronized (this) {
      if (bytesAtPeak.isEmpty() || total > peakBytes) {
        peakBytes = total;
        bytesAtPeak = now;
      }
    }
  }

  private Map<String, Long> withSelf() {
    Map<String, Long> all = new LinkedHashMap<>(current.get());
    all.put(self, ProcessHandle.current().pid());
    return all;
  }

  /** Stops measuring: what the processes took since the start. */
  Report stop() {
    running.set(false);
    sampler.interrupt();
    try {
      sampler.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sampleMemory(); // a phase shorter than the sampling period still has one
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long[] machine = machineTicks();
    long total = machine[0] - machineAtStart[0];
    double machineTicks = Math.max(1, total);
    double cores = Runtime.getRuntime().availableProcessors();
    Map<String, Double> shares = new LinkedHashMap<>();
    pids.forEach(
        (name, pid) -> {
          if (ProcessHandle.of(pid).isPresent()) {
            long used = cpuTicks(pid) - cpuAtStart.get(name);
            shares.put(name, used / (seconds * TICKS_PER_SECOND * cores));
          }
        });
    synchronized (this) {
      return new Report(
          self,
          seconds,
          (machine[1] - machineAtStart[1]) / machineTicks,
          (machine[2] - machineAtStart[2]) / machineTicks,
          shares,
          peakBytes,
          bytesAtPeak);
    }
  }

  /** The machine's CPU ticks since boot: all, busy (neither idle nor waiting on I/O), stolen. */
  static long[] machineTicks() {
    try (Stream<String> lines = Files.lines(PROC.resolve("stat"))) {
      String cpu = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow();
      String[] f = cpu.trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal (guest and guest_nice are in user)
      long all = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        all += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      return new long[] {all, all - idle - steal, steal};
    } catch (IOException e) {
      return new long[] {0, 0, 0};
    }
  }

  /** User and system CPU ticks of a process and its live descendants; 0 for one that is gone. */
  static long cpuTicks(long pid) {
    long ticks = 0;
    for (long p : withDescendants(pid)) {
      try {
        String stat = Files.readString(PROC.resolve(p + "/stat"));
        // the command name, field 2, is in parentheses and may hold spaces
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      } catch (IOException | RuntimeException e) {
        // gone meanwhile
      }
    }
    return ticks;
  }

  /** Proportional set size of a process and its live descendants, in bytes. */
  static long pssBytes(long pid) {
    long kb = 0;
    for (long p : withDescendants(pid)) {
      try (Stream<String> lines = Files.lines(PROC.resolve(p + "/smaps_rollup"))) {
        kb +=
            lines
                .filter(l -> l.startsWith("Pss:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .sum();
      } catch (IOException | RuntimeException e) {
        // gone meanwhile, or not ours to read
      }
    }
    return kb * 1024;
  }

  private static List<Long> withDescendants(long pid) {
    List<Long> all = new ArrayList<>();
    all.add(pid);
    if (pid != ProcessHandle.current().pid()) {
      ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
    }
    return all;
  }
}
