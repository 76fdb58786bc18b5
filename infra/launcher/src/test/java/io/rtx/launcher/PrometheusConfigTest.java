package io.rtx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.schemas.Component;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusConfigTest {

  private static final Path REPO = repo();

  static Path repo() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("rtx")) && Files.isDirectory(p.resolve("infra"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no rtx-streams checkout above " + Path.of("").toAbsolutePath());
  }

  @Test
  void rendersEveryScrapeTargetWithTheStacksPorts(@TempDir Path home) throws Exception {
    Map<Component, Integer> ports = new EnumMap<>(Component.class);
    int port = 20_000;
    for (Component c : Component.values()) {
      ports.put(c, port++);
    }
    StackSettings s =
        new StackSettings(
            REPO,
            home,
            ports,
            29_999,
            29_998,
            "rtx",
            "rtx",
            null,
            "512m",
            "192m",
            "7 days",
            "1s=7 days",
            "1GB",
            1,
            1,
            Map.of());

    Path file = PrometheusConfig.write(s);

    assertThat(file).isEqualTo(home.resolve("conf/prometheus.yml"));
    String yaml = Files.readString(file);
    assertThat(yaml).doesNotContain("${");
    assertThat(yaml).contains("  - " + REPO.resolve("infra/prometheus/rules") + "/*.yml\n");
    for (Component c : PrometheusConfig.SCRAPED) {
      assertThat(yaml)
          .as("scrape job of %s", c.id())
          .contains(
              "  - job_name: "
                  + c.id()
                  + "\n    static_configs:\n      - targets: ['127.0.0.1:"
                  + ports.get(c)
                  + "']\n");
    }
    assertThat(yaml.split("job_name: ", -1)).hasSize(PrometheusConfig.SCRAPED.size() + 1);
  }

  @Test
  void anUnknownPlaceholderIsAnError() {
    assertThatThrownBy(
            () -> PrometheusConfig.render("targets: ['127.0.0.1:${RTX_NOPE_PORT}']", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown placeholder ${RTX_NOPE_PORT} in the Prometheus template");
  }

  @Test
  void aValueIsInsertedLiterally() {
    assertThat(PrometheusConfig.render("a ${X} b ${X}", Map.of("X", "$1\\x")))
        .isEqualTo("a $1\\x b $1\\x");
  }
}
