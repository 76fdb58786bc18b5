package io.rtx.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Kafka Connect REST API, as the platform uses it, and its one client: the one way connectors
 * are deployed ({@code ./rtx up}, {@code ./rtx connect apply}, the benchmark and the tests all call
 * {@link #apply}), and the typed states and actions ops tools use ({@link #states}, {@link
 * #restart}, {@link #pause}, {@link #resume}, {@link #stop}). A worker that answers 409 is
 * rebalancing: every call but {@link #call} is retried for up to a minute, not reported.
 */
public final class ConnectClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REBALANCE_PATIENCE = Duration.ofSeconds(60);

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public ConnectClient(String baseUrl) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** The connector configs of the project: {@code connectors/*.json}, named by their file. */
  public static List<Path> connectorFiles(Path repo) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> dir =
        Files.newDirectoryStream(repo.resolve("connectors"), "*.json")) {
      dir.forEach(files::add);
    } catch (IOException e) {
      throw new StackException("cannot list " + repo.resolve("connectors") + ": " + e.getMessage());
    }
    files.sort(null);
    return files;
  }

  /** The connector a file configures: its name without {@code .json}. */
  public static String nameOf(Path file) {
    return file.getFileName().toString().replaceFirst("\\.json$", "");
  }

  /** Creates or updates each connector from its file; repeating it changes nothing. */
  public void apply(List<Path> files, Consumer<String> progress) {
    // every file is read first: invalid JSON is our mistake, said before anything is deployed
    Map<Path, Map<String, String>> configs = new java.util.LinkedHashMap<>();
    files.forEach(f -> configs.put(f, readConfig(f)));
    for (Path f : files) {
      String name = nameOf(f);
      try {
        send("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(configs.get(f)));
      } catch (IOException e) {
        throw new StackException(f + ": " + e.getMessage());
      }
      progress.accept(String.format("%-9s %s deployed", "connector", name));
    }
  }

  /**
   * Creates or updates connector {@code name} from {@code file} with some settings replaced (the
   * benchmark points a second copy sink at its own table this way).
   */
  public void deploy(String name, Path file, Map<String, String> overrides) {
    try {
      ObjectNode config = (ObjectNode) JSON.readTree(Files.readString(file));
      overrides.forEach(config::put);
      send("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(config));
    } catch (IOException | ClassCastException e) {
      throw new StackException(file + " is not a JSON object: " + e.getMessage());
    }
  }

  /**
   * Deletes a connector. A Debezium PostgreSQL source leaves its replication slot behind, holding
   * WAL forever: the slot it named is returned so the caller can drop it.
   */
  public java.util.Optional<String> delete(String name) {
    JsonNode config = get("/connectors/" + name + "/config");
    send("DELETE", "/connectors/" + name, null);
    if (config
        .path("connector.class")
        .asText()
        .equals("io.debezium.connector.postgresql.PostgresConnector")) {
      return java.util.Optional.of(config.path("slot.name").asText("debezium"));
    }
    return java.util.Optional.empty();
  }

  // ------------------------------------------------------------------ states and actions (typed)

  /** A task of a connector as the worker reports it; {@code trace} is null unless it failed. */
  public record TaskState(int id, String state, String workerId, String trace) {
    public boolean failed() {
      return "FAILED".equals(state);
    }
  }

  /**
   * A connector as the worker reports it: {@code type} is {@code source} or {@code sink}, {@code
   * state} one of RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING; {@code trace} is null
   * unless the connector itself failed.
   */
  public record ConnectorState(
      String name,
      String type,
      String state,
      String workerId,
      String trace,
      List<TaskState> tasks) {

    public ConnectorState {
      tasks = List.copyOf(tasks);
    }

    public boolean failed() {
      return "FAILED".equals(state);
    }

    public long tasksRunning() {
      return tasks.stream().filter(t -> "RUNNING".equals(t.state())).count();
    }

    public long tasksFailed() {
      return tasks.stream().filter(TaskState::failed).count();
    }

    /** The connector or one of its tasks failed. */
    public boolean anyFailed() {
      return failed() || tasksFailed() > 0;
    }

    static ConnectorState of(JsonNode status) {
      JsonNode c = status.path("connector");
      List<TaskState> tasks = new ArrayList<>();
      for (JsonNode t : status.path("tasks")) {
        tasks.add(
            new TaskState(
                t.path("id").asInt(),
                t.path("state").asText(),
                t.path("worker_id").asText(),
                textOrNull(t.path("trace"))));
      }
      tasks.sort(java.util.Comparator.comparingInt(TaskState::id));
      return new ConnectorState(
          status.path("name").asText(),
          status.path("type").asText(),
          c.path("state").asText(),
          c.path("worker_id").asText(),
          textOrNull(c.path("trace")),
          tasks);
    }
  }

  /** The names of the connectors on the worker, sorted. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    get("/connectors").forEach(n -> names.add(n.asText()));
    names.sort(null);
    return names;
  }

  /** Every connector with its state and its tasks' states, sorted by name (one call). */
  public List<ConnectorState> states() {
    List<ConnectorState> states = new ArrayList<>();
    get("/connectors?expand=status")
        .fields()
        .forEachRemaining(e -> states.add(ConnectorState.of(e.getValue().path("status"))));
    states.sort(java.util.Comparator.comparing(ConnectorState::name));
    return states;
  }

  /** One connector's state; a {@link StackException} if there is no such connector. */
  public ConnectorState state(String name) {
    return ConnectorState.of(get("/connectors/" + name + "/status"));
  }

  /**
   * Restarts a connector and its tasks; with {@code onlyFailed}, only whichever of them failed.
   * Returns the state the worker reports right after (restarting parts say RESTARTING).
   */
  public ConnectorState restart(String name, boolean onlyFailed) {
    String body =
        send(
            "POST",
            "/connectors/" + name + "/restart?includeTasks=true&onlyFailed=" + onlyFailed,
            null);
    try {
      return body.isBlank() ? state(name) : ConnectorState.of(JSON.readTree(body));
    } catch (IOException e) {
      return state(name);
    }
  }

  /** Restarts one task. */
  public void restartTask(String name, int task) {
    send("POST", "/connectors/" + name + "/tasks/" + task + "/restart", null);
  }

  /** Pauses a connector: its tasks stay assigned, and stop processing. */
  public void pause(String name) {
    send("PUT", "/connectors/" + name + "/pause", null);
  }

  /** Resumes a paused or stopped connector. */
  public void resume(String name) {
    send("PUT", "/connectors/" + name + "/resume", null);
  }

  /** Stops a connector: its tasks are shut down (KIP-875); {@link #resume} starts it again. */
  public void stop(String name) {
    send("PUT", "/connectors/" + name + "/stop", null);
  }

  // -------------------------------------------------------------- configs, plugins, offsets

  /**
   * A connector's config as it was submitted (placeholders such as {@code ${env:…}} unresolved).
   */
  public Map<String, String> config(String name) {
    Map<String, String> config = new java.util.TreeMap<>();
    get("/connectors/" + name + "/config")
        .fields()
        .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    return config;
  }

  /** The topics a connector has used since it was created or its topics last reset. */
  public List<String> topics(String name) {
    List<String> topics = new ArrayList<>();
    get("/connectors/" + name + "/topics")
        .path(name)
        .path("topics")
        .forEach(t -> topics.add(t.asText()));
    topics.sort(null);
    return topics;
  }

  /** A connector plugin installed on the worker. */
  public record Plugin(String className, String type, String version) {}

  public List<Plugin> plugins() {
    List<Plugin> plugins = new ArrayList<>();
    for (JsonNode p : get("/connector-plugins")) {
      plugins.add(
          new Plugin(
              p.path("class").asText(), p.path("type").asText(), p.path("version").asText()));
    }
    return plugins;
  }

  /** One setting Connect refused, with its reasons. */
  public record FieldError(String field, String value, List<String> errors) {
    public FieldError {
      errors = List.copyOf(errors);
    }
  }

  /** What Connect's validation said about a config: no errors means it would be accepted. */
  public record Validation(String plugin, List<FieldError> errors) {
    public Validation {
      errors = List.copyOf(errors);
    }

    public boolean valid() {
      return errors.isEmpty();
    }
  }

  /**
   * Asks the worker whether {@code config} (with its {@code connector.class} and {@code name}) is
   * valid, without creating anything: {@code PUT /connector-plugins/{class}/config/validate}.
   */
  public Validation validate(Map<String, String> config) {
    String plugin = config.get("connector.class");
    if (plugin == null || plugin.isBlank()) {
      throw new StackException("the config has no connector.class");
    }
    JsonNode answer;
    try {
      answer =
          JSON.readTree(
              send(
                  "PUT",
                  "/connector-plugins/" + plugin + "/config/validate",
                  JSON.writeValueAsString(config)));
    } catch (IOException e) {
      throw new StackException("validate: unreadable answer: " + e.getMessage());
    }
    List<FieldError> errors = new ArrayList<>();
    for (JsonNode c : answer.path("configs")) {
      JsonNode v = c.path("value");
      if (v.path("errors").isEmpty()) {
        continue;
      }
      List<String> reasons = new ArrayList<>();
      v.path("errors").forEach(e -> reasons.add(e.asText()));
      errors.add(new FieldError(v.path("name").asText(), textOrNull(v.path("value")), reasons));
    }
    return new Validation(plugin, errors);
  }

  /**
   * A connector's committed offsets (KIP-875): {@code
   * {"offsets":[{"partition":{…},"offset":{…}}]}}; for a sink, the consumer group's offsets per
   * topic partition.
   */
  public JsonNode offsets(String name) {
    return get("/connectors/" + name + "/offsets");
  }

  /**
   * Deletes a connector's committed offsets (KIP-875), so it starts over as if new; Connect allows
   * it on a STOPPED connector only, so anything else is refused here first, with what to do.
   */
  public void resetOffsets(String name) {
    ConnectorState s = state(name);
    if (!"STOPPED".equals(s.state())) {
      throw new StackException(
          "connector "
              + name
              + " is "
              + s.state()
              + ": offsets can be reset only on a STOPPED connector (./rtx connect stop "
              + name
              + " first)");
    }
    send("DELETE", "/connectors/" + name + "/offsets", null);
  }

  /**
   * A connector config file: a JSON object of string settings. A file that is missing or not such
   * an object is refused with its path, before Connect sees it.
   */
  public static Map<String, String> readConfig(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new StackException("cannot read " + file + ": " + e);
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(text);
    } catch (IOException e) {
      throw new StackException(
          file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (tree == null || !tree.isObject()) {
      throw new StackException(file + " is not a JSON object of connector settings");
    }
    Map<String, String> config = new java.util.LinkedHashMap<>();
    tree.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    return config;
  }

  private static String textOrNull(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  /** GET, parsed; a failure is a {@link StackException} naming the call. */
  public JsonNode get(String path) {
    try {
      return JSON.readTree(send("GET", path, null));
    } catch (IOException e) {
      throw new StackException("GET " + path + ": unreadable answer: " + e.getMessage());
    }
  }

  /**
   * Sends one call, retrying while the worker rebalances (409); returns the body of a 2xx answer.
   */
  public String send(String method, String path, String body) {
    long deadline = System.nanoTime() + REBALANCE_PATIENCE.toNanos();
    while (true) {
      HttpResponse<String> r = call(method, path, body);
      if (r.statusCode() / 100 == 2) {
        return r.body();
      }
      if (r.statusCode() == 409 && System.nanoTime() < deadline) {
        Processes.pause(500);
        continue;
      }
      if (r.statusCode() == 404 && path.startsWith("/connectors/")) {
        throw new StackException("no connector " + path.split("/")[2] + " on " + baseUrl);
      }
      throw new StackException(
          method + " " + baseUrl + path + " failed (HTTP " + r.statusCode() + "): " + r.body());
    }
  }

  /** One call, without retries: for callers that read the status themselves. */
  public HttpResponse<String> call(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | java.net.http.HttpConnectTimeoutException e) {
      throw new StackException(
          "the Connect worker at "
              + baseUrl
              + " is not reachable (is it up? ./rtx status connect)");
    } catch (IOException e) {
      throw new StackException(method + " " + baseUrl + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }
}
