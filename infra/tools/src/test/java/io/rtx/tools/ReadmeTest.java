package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.common.Settings;
import io.rtx.launcher.StackSettings;
import io.rtx.schemas.Component;
import io.rtx.schemas.TopicSpec;
import io.rtx.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's tables are copies of facts that live in code: each test fails when a copy drifts
 * from its definition (topics, components and ports, settings and their defaults, commands).
 */
class ReadmeTest {

  private static final Path REPO = findRepo();
  private static final List<List<String>> ROWS = tableRows(read(REPO.resolve("README.md")));

  @Test
  void everyTopicOfTheCatalogHasItsRow() {
    for (TopicSpec<?, ?> t : Topics.ALL) {
      List<String> row =
          rowStartingWith(t.name())
              .orElseThrow(() -> new AssertionError("no README row for topic " + t.name()));
      assertThat(row.get(3))
          .as("partitions of %s", t.name())
          .isEqualTo(Integer.toString(t.partitions()));
      assertThat(row.get(4).replace(" ", ""))
          .as("cleanup of %s", t.name())
          .isEqualTo(t.cleanup().policy());
      assertThat(row.get(5)).as("retention of %s", t.name()).isEqualTo(retention(t.retention()));
    }
  }

  @Test
  void everyComponentHasItsEndpointRowWithItsDefaultPort() {
    for (Component c : Component.values()) {
      List<String> row =
          rowStartingWith(c.id())
              .orElseThrow(() -> new AssertionError("no README endpoint row for " + c.id()));
      assertThat(row.get(2)).as("endpoint of %s", c.id()).contains(":" + c.defaultPort());
      assertThat(row.get(3)).as("port variable of %s", c.id()).isEqualTo(c.portVariable());
    }
  }

  @Test
  void everyStackVariableIsDocumentedWithItsDefault() {
    StackSettings defaults =
        StackSettings.fromEnvironment(REPO, Map.of("RTX_HOME", "/nonexistent"));
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    for (Component c : Component.values()) {
      expected.put(c.portVariable(), Integer.toString(c.defaultPort()));
    }
    expected.put(
        Component.KAFKA_CONTROLLER_PORT_VARIABLE,
        Integer.toString(Component.KAFKA_CONTROLLER_PORT));
    expected.put(Component.QUOTES_WS_PORT_VARIABLE, Integer.toString(Component.QUOTES_WS_PORT));
    expected.put(StackSettings.PG_DB, defaults.pgDatabase());
    expected.put(StackSettings.PG_USER, defaults.pgUser());
    expected.put(StackSettings.PG_PASSWORD, "generated");
    expected.put(StackSettings.HEAP, defaults.heap());
    expected.put(StackSettings.APP_HEAP, defaults.appHeap());
    expected.put(StackSettings.TICKS_RETENTION, defaults.ticksRetention());
    expected.put(StackSettings.CANDLES_RETENTION, defaults.candlesRetention());
    expected.put(StackSettings.BROKERS, Integer.toString(defaults.brokers()));
    expected.put(StackSettings.INSTANCES, Integer.toString(defaults.instances()));
    Map<String, String> documented = documentedDefaults();
    expected.forEach(
        (variable, value) ->
            assertThat(documented.get(variable))
                .as("README default of %s", variable)
                .isEqualTo(value));
  }

  @Test
  void everyAppSettingIsDocumentedWithItsDefaultInItsSection() {
    Map<String, String> sections =
        Map.of(
            "candles",
            "### Candles",
            "quotes",
            "### Quotes",
            "ops",
            "### The ops service",
            "tools",
            "## Settings of the apps");
    Settings common = Settings.defaults("tools");
    sections.forEach(
        (app, heading) -> {
          List<List<String>> rows = tableRows(section(heading));
          for (Map.Entry<String, String> e : Settings.defaults(app).asMap().entrySet()) {
            String name = e.getKey();
            if (!app.equals("tools") && e.getValue().equals(common.asMap().get(name))) {
              continue; // a common setting, documented once in "Settings of the apps"
            }
            List<String> row =
                rows.stream()
                    .filter(r -> r.get(0).equals(name))
                    .findFirst()
                    .orElseThrow(
                        () -> new AssertionError("no row for " + name + " under " + heading));
            assertThat(row).as("README row of %s under %s", name, heading).contains(e.getValue());
          }
        });
  }

  /** The README from {@code heading} to the next heading of the same or a higher level. */
  private static String section(String heading) {
    String readme = read(REPO.resolve("README.md"));
    int start = readme.indexOf("\n" + heading);
    assertThat(start).as("README heading %s", heading).isNotNegative();
    int level = heading.indexOf(' ');
    Matcher next = Pattern.compile("\n#{1," + level + "} ").matcher(readme);
    int end = next.find(start + heading.length()) ? next.start() : readme.length();
    return readme.substring(start, end);
  }

  @Test
  void theCommandTableListsEveryCommandAndNothingElse() {
    Set<String> documented = new TreeSet<>();
    Pattern verb = Pattern.compile("^\\./rtx ([a-z][a-z-]*)");
    for (List<String> row : ROWS) {
      Matcher m = verb.matcher(row.get(0));
      if (m.find()) {
        documented.add(m.group(1));
      }
    }
    assertThat(documented).isEqualTo(new TreeSet<>(Rtx.commandLine().getSubcommands().keySet()));
  }

  @Test
  void theScriptAndTheLauncherAgreeOnWhichVerbsAreBash() {
    Matcher m = Pattern.compile("(?m)^BASH_VERBS=\"([^\"]*)\"").matcher(read(REPO.resolve("rtx")));
    assertThat(m.find()).as("BASH_VERBS in ./rtx").isTrue();
    assertThat(new TreeSet<>(List.of(m.group(1).split(" "))))
        .isEqualTo(new TreeSet<>(Rtx.BASH_VERBS));
    assertThat(Rtx.commandLine().getSubcommands().keySet()).containsAll(Rtx.BASH_VERBS);
  }

  private static Map<String, String> documentedDefaults() {
    Map<String, String> defaults = new java.util.HashMap<>();
    for (List<String> row : ROWS) {
      if (row.size() < 3 || !row.get(0).startsWith("RTX_")) {
        continue;
      }
      String[] names = row.get(0).split(",\\s*");
      // a row of several variables lists their defaults in the same order; one variable's default
      // may itself hold commas
      String[] values = names.length == 1 ? new String[] {row.get(1)} : row.get(1).split(",\\s*");
      for (int i = 0; i < names.length && i < values.length; i++) {
        defaults.put(names[i].trim(), values[i].trim());
      }
    }
    return defaults;
  }

  private static String retention(Optional<Duration> retention) {
    if (retention.isEmpty()) {
      return "forever";
    }
    long days = retention.get().toDays();
    if (days % 366 == 0 && days >= 366) {
      return days / 366 + " years";
    }
    return days == 1 ? "1 day" : days + " days";
  }

  private static Optional<List<String>> rowStartingWith(String first) {
    return ROWS.stream().filter(r -> r.get(0).equals(first)).findFirst();
  }

  /** Every row of every Markdown table: cells trimmed, code quotes removed. */
  private static List<List<String>> tableRows(String markdown) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : markdown.split("\n")) {
      if (!line.startsWith("|") || line.startsWith("|---")) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String cell : line.substring(1, line.lastIndexOf('|')).split("\\|", -1)) {
        cells.add(cell.replace("`", "").trim());
      }
      rows.add(cells);
    }
    return rows;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The checkout these tests run in (found upwards from the working directory). */
  static Path findRepo() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("rtx")) && Files.isDirectory(p.resolve("infra"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the checkout");
  }
}
