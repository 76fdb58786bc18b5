package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} is valid for Docker Compose: Debian's {@code docker-compose}
 * (installed by {@code infra/scripts/install-deps.sh}) parses and interpolates it, with every
 * profile, without a Docker engine. Its facts are {@link ComposeFileTest}'s.
 */
class ComposeConfigTest {

  private static final Path REPO = ReadmeTest.findRepo();

  /** The secrets .env.example leaves empty, as a user would set them in .env. */
  private static final Map<String, String> SECRETS =
      Map.of(
          "RTX_PG_SUPERUSER_PASSWORD", "superuser-secret",
          "RTX_PG_PASSWORD", "owner-secret",
          "RTX_CDC_DB_PASSWORD", "cdc-secret",
          "RTX_SINK_JDBC_PASSWORD", "sink-secret",
          "RTX_MONITOR_DB_PASSWORD", "monitor-secret",
          "RTX_REDIS_QUOTES_PASSWORD", "redis-quotes-secret",
          "RTX_REDIS_ORDERS_PASSWORD", "redis-orders-secret",
          "RTX_REDIS_READER_PASSWORD", "redis-reader-secret",
          "RTX_REDIS_EXPORTER_PASSWORD", "redis-exporter-secret");

  private record Run(int exit, String out, String err) {}

  @Test
  void theFileIsValidWithEveryProfile() {
    Run run = compose(SECRETS, "--profile", "monitoring", "config", "-q");
    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isZero();
  }

  @Test
  void itDefinesTheServicesOfTheStack() {
    // docker-compose 1.29 lists a profile's services whatever the profiles asked for; that
    // prometheus and grafana start only under "monitoring" is ComposeFileTest's to check.
    Run run = compose(SECRETS, "--profile", "monitoring", "config", "--services");
    assertThat(run.exit()).isZero();
    assertThat(new TreeSet<>(lines(run.out())))
        .containsExactly(
            "candles",
            "connect",
            "connect-plugins",
            "connectors",
            "db-bootstrap",
            "db-schedule",
            "grafana",
            "kafka",
            "migrate",
            "ops",
            "orders",
            "postgres",
            "postgres-exporter",
            "prometheus",
            "quotes",
            "redis",
            "redis-exporter",
            "registry",
            "registry-config",
            "topics");
  }

  @Test
  void itRefusesToStartWithoutItsSecrets() {
    for (String missing : SECRETS.keySet()) {
      Map<String, String> env = new java.util.HashMap<>(SECRETS);
      env.remove(missing);
      Run run = compose(env, "config", "-q");
      assertThat(run.exit()).as("without %s", missing).isNotZero();
      assertThat(run.err()).as("without %s", missing).contains("set " + missing + " in .env");
    }
  }

  @Test
  void theSecretsReachTheServicesFromTheEnvironmentOnly() {
    Run run = compose(SECRETS, "config");
    assertThat(run.exit()).isZero();
    // one place each: the services that need them, and nowhere in the file itself
    assertThat(run.out()).contains("POSTGRES_PASSWORD: superuser-secret");
    assertThat(run.out()).contains("RTX_SINK_JDBC_PASSWORD: sink-secret");
    assertThat(run.out()).contains("FLYWAY_PASSWORD: owner-secret");
    assertThat(run.out())
        .contains("RTX_QUOTES_REDIS_URL: redis://rtx-quotes:redis-quotes-secret@redis:6379");
    assertThat(run.out()).contains("REDIS_PASSWORD: redis-exporter-secret");
    String file = read(REPO.resolve("docker-compose.yml"));
    for (String secret : SECRETS.values()) {
      assertThat(file).doesNotContain(secret);
    }
  }

  /**
   * Runs {@code docker-compose} on the checkout's file with {@code .env.example} as its env file
   * and {@code env} as the only RTX_* variables (nothing of the caller's stack settings leaks in).
   */
  private static Run compose(Map<String, String> env, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "docker-compose",
                "--project-directory",
                REPO.toString(),
                "--file",
                REPO.resolve("docker-compose.yml").toString(),
                "--env-file",
                REPO.resolve(".env.example").toString()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("RTX_") || k.startsWith("COMPOSE_"));
    pb.environment().putAll(env);
    try {
      Path out = Files.createTempFile("compose", ".out");
      Path err = Files.createTempFile("compose", ".err");
      try {
        Process p;
        try {
          p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
          throw new AssertionError(
              "docker-compose is not installed: run ./rtx install (infra/scripts/install-deps.sh)",
              e);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("docker-compose finished").isTrue();
        return new Run(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
