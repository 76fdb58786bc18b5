package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./rtx} as people run it (the built launcher behind the bash script): help lists every
 * verb, and what makes no sense is refused with a message and a non-zero exit, changing nothing.
 */
class RtxCliIT {

  private static final Path REPO = findRepo();

  record Run(int exit, String out) {}

  private static Run rtx(String... args) throws IOException, InterruptedException {
    return rtx(Map.of(), args);
  }

  private static Run rtx(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("rtx").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // The build is this one; and a home of its own, so nothing here touches a developer's stack.
    pb.environment().put("RTX_SKIP_BUILD", "1");
    pb.environment().put("RTX_SKIP_INSTALL", "1");
    pb.environment().put("RTX_HOME", Files.createTempDirectory("rtx-cli-").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void helpListsEveryVerb() throws Exception {
    Run help = rtx("help");
    assertThat(help.exit()).isZero();
    for (String verb : Rtx.commandLine().getSubcommands().keySet()) {
      assertThat(help.out()).as("help lists %s", verb).containsPattern("(?m)^  " + verb + " ");
    }
  }

  @Test
  void passThroughCommandsGetTheirFlags() throws Exception {
    Run simulate = rtx("simulate", "ticks", "--rate", "5", "--help");
    assertThat(simulate.exit()).as(simulate.out()).isZero();
    assertThat(simulate.out()).contains("--out-of-order");
    Run bench = rtx("bench", "--phases", "ledger", "--help");
    assertThat(bench.exit()).as(bench.out()).isZero();
    assertThat(bench.out()).contains("--ledger-rate");
  }

  @Test
  void anUnknownVerbIsRefused() throws Exception {
    Run r = rtx("frobnicate");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("frobnicate");
  }

  @Test
  void anUnknownComponentIsRefusedNamingTheKnownOnes() throws Exception {
    Run r = rtx("stop", "foo");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("unknown component 'foo'").contains("postgres redis kafka");
  }

  @Test
  void aMisspelledFlagIsRefused() throws Exception {
    Run r = rtx("down", "--wpie");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("--wpie");
  }

  @Test
  void statusOfAStackThatIsNotRunningSaysDownAndFails() throws Exception {
    Run r = rtx("status", "redis");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).containsPattern("redis +DOWN");
  }

  @Test
  void aBadRetentionStopsUpBeforeItChangesAnything() throws Exception {
    Path home = Files.createTempDirectory("rtx-cli-");
    Run r =
        rtx(Map.of("RTX_HOME", home.toString(), "RTX_TICKS_RETENTION", "-1 day"), "up", "postgres");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("RTX_TICKS_RETENTION must be");
    assertThat(home.resolve("data")).doesNotExist();
    assertThat(home.resolve("conf")).doesNotExist();
  }

  private static Path findRepo() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("rtx")) && Files.isDirectory(p.resolve("infra"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the checkout");
  }
}
