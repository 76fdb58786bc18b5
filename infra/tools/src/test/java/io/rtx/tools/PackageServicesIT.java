package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After {@code ./rtx install} (which {@code ./rtx test} runs first), none of the Debian packages'
 * own services of what the stack runs itself starts at boot: a distribution's redis-server or
 * PostgreSQL would otherwise take 6379 or 5432 after a reboot. Checks the machine as it is.
 */
class PackageServicesIT {

  private static final List<String> SERVICES =
      List.of(
          "postgresql",
          "redis-server",
          "prometheus",
          "prometheus-postgres-exporter",
          "prometheus-redis-exporter");

  @Test
  void noPackageServiceOfTheStackStartsAtBoot() throws Exception {
    List<String> enabled = new ArrayList<>();
    for (String service : SERVICES) {
      if (Files.isDirectory(Path.of("/run/systemd/system"))) {
        Process p =
            new ProcessBuilder("systemctl", "is-enabled", service)
                .redirectErrorStream(true)
                .start();
        String state = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        if (state.equals("enabled")) {
          enabled.add(service + " (systemd)");
        }
      } else {
        for (int level = 2; level <= 5; level++) {
          if (startLinks(Path.of("/etc/rc" + level + ".d"), service)) {
            enabled.add(service + " (runlevel " + level + ")");
          }
        }
      }
    }
    assertThat(enabled).as("services that would start at boot").isEmpty();
  }

  /** Whether {@code dir} has a start link S<nn>{@code service}. */
  private static boolean startLinks(Path dir, String service) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> links = Files.list(dir)) {
      return links
          .map(p -> p.getFileName().toString())
          .anyMatch(n -> n.matches("S[0-9]{2}" + java.util.regex.Pattern.quote(service)));
    }
  }
}
