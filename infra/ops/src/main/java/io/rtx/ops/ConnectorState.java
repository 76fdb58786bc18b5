package io.rtx.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A connector as the Connect worker reports it ({@code GET /connectors?expand=status&expand=info}):
 * its type and state, and each task's, with the first line of a failure's trace.
 */
public record ConnectorState(
    String name, String type, String state, String workerId, String trace, List<TaskState> tasks) {

  /** Connect's states of a connector or task, for the one-hot state metrics. */
  public static final List<String> STATES =
      List.of("UNASSIGNED", "RUNNING", "PAUSED", "STOPPED", "FAILED", "RESTARTING");

  public ConnectorState {
    tasks = List.copyOf(tasks);
  }

  public record TaskState(int id, String state, String workerId, String trace) {}

  /** The connectors of an expanded {@code GET /connectors} answer, by name. */
  public static List<ConnectorState> fromExpanded(JsonNode all) {
    List<ConnectorState> list = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode status = e.getValue().path("status");
      JsonNode connector = status.path("connector");
      List<TaskState> tasks = new ArrayList<>();
      for (JsonNode t : status.path("tasks")) {
        tasks.add(
            new TaskState(
                t.path("id").asInt(),
                t.path("state").asText(),
                t.path("worker_id").asText(),
                firstLine(t.path("trace").asText(""))));
      }
      String type = e.getValue().path("info").path("type").asText(status.path("type").asText(""));
      list.add(
          new ConnectorState(
              e.getKey(),
              type,
              connector.path("state").asText("UNASSIGNED"),
              connector.path("worker_id").asText(""),
              firstLine(connector.path("trace").asText("")),
              tasks));
    }
    list.sort(java.util.Comparator.comparing(ConnectorState::name));
    return list;
  }

  private static String firstLine(String trace) {
    int nl = trace.indexOf('\n');
    return (nl < 0 ? trace : trace.substring(0, nl)).strip();
  }
}
