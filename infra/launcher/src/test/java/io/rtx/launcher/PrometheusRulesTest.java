package io.rtx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert rules of {@code infra/prometheus/rules} are valid and each is proven by {@code promtool
 * test rules} ({@code infra/prometheus/tests}). Skipped only where promtool is not installed;
 * {@code ./rtx install} (and so {@code ./rtx test} and CI) installs it.
 */
class PrometheusRulesTest {

  private static final Path PROMETHEUS = PrometheusConfigTest.repo().resolve("infra/prometheus");

  @BeforeAll
  static void promtoolIsInstalled() {
    assumeTrue(
        Stream.of(System.getenv("PATH").split(":"))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "promtool"))),
        "promtool is not installed (./rtx install installs Debian's prometheus package)");
  }

  @Test
  void rulesAreValid() throws Exception {
    promtool("check", "rules", files("rules", ".yml"));
  }

  @Test
  void everyRuleTestPasses() throws Exception {
    promtool("test", "rules", files("tests", "_test.yml"));
  }

  @Test
  void everyAlertHasATest() throws IOException {
    Set<String> alerts = matches(files("rules", ".yml"), "(?m)^\\s*- alert: (\\S+)\\s*$");
    Set<String> tested = matches(files("tests", "_test.yml"), "(?m)^\\s*alertname: (\\S+)\\s*$");
    assertThat(alerts).hasSize(14);
    assertThat(tested).containsExactlyInAnyOrderElementsOf(alerts);
  }

  private static List<String> files(String folder, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(PROMETHEUS.resolve(folder))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          .map(Path::toString)
          .sorted()
          .toList();
    }
  }

  private static Set<String> matches(List<String> files, String regex) throws IOException {
    Set<String> found = new TreeSet<>();
    for (String f : files) {
      Matcher m = Pattern.compile(regex).matcher(Files.readString(Path.of(f)));
      while (m.find()) {
        found.add(m.group(1));
      }
    }
    return found;
  }

  /** Runs promtool; a non-zero exit fails the test with everything promtool said. */
  private static void promtool(String verb, String what, List<String> files) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("promtool", verb, what));
    cmd.addAll(files);
    Process p =
        new ProcessBuilder(cmd).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    int exit = p.waitFor();
    assertThat(exit).as("%s\n%s", String.join(" ", cmd), output).isZero();
  }
}
