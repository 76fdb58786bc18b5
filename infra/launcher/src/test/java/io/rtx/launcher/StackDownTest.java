package io.rtx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.schemas.Component;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code down --wipe} deletes the data only when nothing may still use it. The processes here are
 * {@code sleep}s named for the home, as the stack names its exporters; no component is started.
 */
class StackDownTest {

  @TempDir Path home;

  private StackSettings settings;
  private Stack stack;
  private Processes processes;
  private Path data;
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void aStackHomeWithData() throws Exception {
    settings = StackSettings.onFreePorts(home, home);
    stack = new Stack(settings);
    processes = new Processes(settings);
    data = Files.createDirectories(settings.data(Component.KAFKA)).resolve("meta.properties");
    Files.writeString(data, "cluster.id=x\n");
  }

  @AfterEach
  void endTheSleeps() {
    processes.namingHome().forEach(ProcessHandle::destroyForcibly);
  }

  /** A process whose command line names the home, its pid in {@code run/<name>.pid}. */
  private long sleeper(String name) {
    return processes.spawn(
        name,
        List.of("bash", "-c", "exec -a \"$0\" sleep 120", settings.run().resolve(name).toString()),
        Map.of());
  }

  @Test
  void aProcessOfTheHomeThatNoComponentOwnsStopsTheWipe() {
    long pid = sleeper("by-hand");

    assertThatThrownBy(() -> stack.down(true, progress::add))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("--wipe refused, nothing deleted")
        .hasMessageContaining("pid " + pid + " names " + home);
    assertThat(data).exists();
    assertThat(settings.conf().resolve("stack.properties")).exists();
  }

  @Test
  void aComponentsPortThatAnswersWithoutAProcessOfOursStopsTheWipe() throws Exception {
    int port = settings.port(Component.CANDLES);
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName(StackSettings.HOST), port));

      assertThatThrownBy(() -> stack.down(true, progress::add))
          .isInstanceOf(StackException.class)
          .hasMessageContaining("--wipe refused, nothing deleted")
          .hasMessageContaining("port " + port + " (RTX_CANDLES_PORT) answers");
    }
    assertThat(data).exists();
  }

  @Test
  void aComponentStillRunningIsNamedAndDownStopsItBeforeItWipes() {
    long pid = sleeper(Component.OPS.id());
    assertThat(stack.running(Component.OPS)).isTrue();
    assertThat(stack.dataInUse()).containsExactly("ops still runs (pid " + pid + ")");

    stack.down(true, progress::add);

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(stack.running(Component.OPS)).isFalse();
    assertThat(home.resolve("data")).doesNotExist();
    assertThat(settings.conf()).doesNotExist();
    assertThat(progress).containsExactly("stopped; data wiped (" + home + ")");
  }

  @Test
  void aHomeWhereNoStackWasStartedIsNotWiped(@TempDir Path other) throws Exception {
    Path foreign = Files.createDirectories(other.resolve("data")).resolve("keep");
    Files.writeString(foreign, "not the stack's");
    StackSettings there =
        new StackSettings(
            home,
            other,
            settings.ports(),
            settings.controllerPort(),
            settings.quotesWsPort(),
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

    assertThatThrownBy(() -> new Stack(there).down(true, progress::add))
        .hasMessageContaining("--wipe refused, nothing deleted")
        .hasMessageContaining("no conf/stack.properties");
    assertThat(foreign).exists();
  }

  @Test
  void downWithoutWipeKeepsTheData() {
    stack.down(false, progress::add);
    assertThat(data).exists();
    assertThat(progress).containsExactly("stopped; data kept in " + home.resolve("data"));
  }
}
