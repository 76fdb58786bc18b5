package io.rtx.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder profile of another JVM of the stack, started and stopped through {@code
 * jcmd} while a benchmark phase runs, and what its CPU samples say: the methods on top of the stack
 * (self time) and the project's own frames (time spent in and under them).
 */
final class FlightRecording implements AutoCloseable {

  private static final String NAME = "rtx-bench";

  private final long pid;

  private FlightRecording(long pid) {
    this.pid = pid;
  }

  /** Starts recording JVM {@code pid} with the {@code profile} settings into {@code file}. */
  static FlightRecording start(long pid, Path file) {
    jcmd(pid, "JFR.start", "name=" + NAME, "settings=profile", "filename=" + file.toAbsolutePath());
    return new FlightRecording(pid);
  }

  /** Stops the recording, which writes the file. */
  @Override
  public void close() {
    jcmd(pid, "JFR.stop", "name=" + NAME);
  }

  /** One line of a profile summary: a frame and its share of the CPU samples. */
  record Share(String frame, double percent) {
    @Override
    public String toString() {
      return String.format("%5.1f%%  %s", percent, frame);
    }
  }

  /** The {@code n} methods most often on top of a sampled stack. */
  static List<Share> hottest(Path recording, int n) throws IOException {
    return top(recording, n, false);
  }

  /** The {@code n} project methods ({@code io.rtx.}) most often anywhere on a sampled stack. */
  static List<Share> hottestOwn(Path recording, int n) throws IOException {
    return top(recording, n, true);
  }

  private static List<Share> top(Path recording, int n, boolean ownInclusive) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
      RecordedStackTrace stack = e.getStackTrace();
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")
          || stack == null
          || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      if (!ownInclusive) {
        counts.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
        continue;
      }
      stack.getFrames().stream()
          .map(FlightRecording::name)
          .filter(
              f -> f.startsWith("io.rtx.") && !f.contains("$$Lambda") && !f.contains(".lambda$"))
          .distinct()
          .forEach(f -> counts.merge(f, 1, Integer::sum));
    }
    int total = Math.max(1, samples);
    List<Share> shares = new ArrayList<>();
    counts.forEach((frame, c) -> shares.add(new Share(frame, 100.0 * c / total)));
    shares.sort(Comparator.comparingDouble(Share::percent).reversed());
    return shares.subList(0, Math.min(n, shares.size()));
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void jcmd(long pid, String... command) {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    List<String> cmd = new ArrayList<>();
    cmd.add(java.resolveSibling("jcmd").toString());
    cmd.add(Long.toString(pid));
    cmd.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run jcmd: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
