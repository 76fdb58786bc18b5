package io.rtx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the client makes of the worker's answers. A rebalance cannot be caused on demand on a real
 * worker, so the 409 case is played by a small HTTP server; the rest runs against the real worker
 * in ConnectCommandIT.
 */
class ConnectClientTest {

  @Test
  void aStatusBecomesATypedStateWithTasksInOrderAndTheTraceOfTheFailedOne() throws Exception {
    String status =
        """
        {"name":"rtx-ticks-sink","type":"sink",
         "connector":{"state":"RUNNING","worker_id":"127.0.0.1:8083"},
         "tasks":[{"id":1,"state":"FAILED","worker_id":"127.0.0.1:8083","trace":"boom\\n\\tat x"},
                  {"id":0,"state":"RUNNING","worker_id":"127.0.0.1:8083"}]}
        """;
    ConnectClient.ConnectorState s =
        ConnectClient.ConnectorState.of(new ObjectMapper().readTree(status));
    assertThat(s)
        .isEqualTo(
            new ConnectClient.ConnectorState(
                "rtx-ticks-sink",
                "sink",
                "RUNNING",
                "127.0.0.1:8083",
                null,
                List.of(
                    new ConnectClient.TaskState(0, "RUNNING", "127.0.0.1:8083", null),
                    new ConnectClient.TaskState(1, "FAILED", "127.0.0.1:8083", "boom\n\tat x"))));
    assertThat(s.tasksRunning()).isEqualTo(1);
    assertThat(s.tasksFailed()).isEqualTo(1);
    assertThat(s.anyFailed()).isTrue();
  }

  @Test
  void aWorkerThatAnswers409WhileRebalancingIsAskedAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/connectors/a/pause",
        ex -> {
          int n = calls.incrementAndGet();
          byte[] body =
              (n < 3 ? "{\"error_code\":409,\"message\":\"rebalance\"}" : "")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(n < 3 ? 409 : 202, body.length == 0 ? -1 : body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.createContext(
        "/connectors/nope/status",
        ex -> {
          byte[] body = "{\"error_code\":404}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(404, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      ConnectClient client = new ConnectClient(url);
      client.pause("a");
      assertThat(calls.get()).isEqualTo(3);
      assertThatThrownBy(() -> client.state("nope"))
          .isInstanceOf(StackException.class)
          .hasMessage("no connector nope on " + url);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aWorkerThatIsNotThereIsSaidSoInOneLine() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ConnectClient client = new ConnectClient("http://127.0.0.1:" + port);
    assertThatThrownBy(client::states)
        .isInstanceOf(StackException.class)
        .hasMessage(
            "the Connect worker at http://127.0.0.1:"
                + port
                + " is not reachable (is it up? ./rtx status connect)");
  }
}
