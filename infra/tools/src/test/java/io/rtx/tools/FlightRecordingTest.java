package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A profile of this very JVM, recorded through jcmd as the benchmark records the stack's. */
class FlightRecordingTest {

  private static volatile long sink;

  @Test
  void aBusyMethodLeadsTheProjectsFrames(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("self.jfr");
    try (FlightRecording r = FlightRecording.start(ProcessHandle.current().pid(), file)) {
      // long enough for a sampler that shares two loaded cores (1.5 s once gave no sample in CI)
      spin(5_000);
    }
    assertThat(FlightRecording.hottestOwn(file, 3))
        .extracting(FlightRecording.Share::frame)
        .contains(FlightRecordingTest.class.getName() + ".spin");
    assertThat(FlightRecording.hottest(file, 5)).isNotEmpty();
  }

  /**
   * Busy with calls and allocation, as real code is: JFR's sampler could seldom walk the stack of a
   * bare arithmetic loop (1–10 samples in 5 s on a loaded machine, against about 200 here).
   */
  private static void spin(long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.toString(x ^ System.nanoTime()).hashCode();
    }
    sink = x;
  }
}
