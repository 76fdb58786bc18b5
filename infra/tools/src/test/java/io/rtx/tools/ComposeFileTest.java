package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rtx.common.Settings;
import io.rtx.launcher.RedisUser;
import io.rtx.launcher.Secrets;
import io.rtx.launcher.StackSettings;
import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The top-level {@code docker-compose.yml} is the native stack in containers: no machine of the
 * project has a Docker engine to run it, so this test holds it to the facts the native stack lives
 * by. It fails when a published port, an image version, an {@code RTX_*} setting, the start order
 * or the Connect worker's configuration drifts from their definitions ({@link Component}, the root
 * pom's versions, the README's settings and the code's setting names, {@link Names}, the
 * connectors' JSON). {@code ComposeConfigTest} checks the file's syntax with {@code
 * docker-compose}.
 */
class ComposeFileTest {

  private static final Path REPO = ReadmeTest.findRepo();
  private static final JsonNode COMPOSE = readYaml(REPO.resolve("docker-compose.yml"));
  private static final JsonNode SERVICES = COMPOSE.path("services");
  private static final Map<String, String> POM = pomProperties(REPO.resolve("pom.xml"));

  /**
   * The ops service (module infra/ops, built alongside) until {@link Component} declares it; once
   * it does, the test takes its port from there and checks that these still agree.
   */
  private static final int OPS_PORT = 8093;

  private static final String OPS_PORT_VARIABLE = "RTX_OPS_PORT";

  /** Services published only under the {@code monitoring} profile, on their usual ports. */
  private static final Map<String, Integer> MONITORING_PORTS =
      Map.of("prometheus", 9090, "grafana", 3000);

  private static final Pattern COMPONENT_PORT =
      Pattern.compile("127\\.0\\.0\\.1:\\$\\{(RTX_[A-Z0-9_]+):-(\\d+)}:(\\d+)");
  private static final Pattern PLAIN_PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+):(\\d+)");
  private static final Pattern INTERPOLATION =
      Pattern.compile("\\$\\{(RTX_[A-Z0-9_]+)(?:(:?[-?])([^}]*))?}");
  private static final Pattern RTX_NAME = Pattern.compile("RTX_[A-Z0-9_]*[A-Z0-9]");

  /** The port a service publishes: the variable that moves it and its default, or none. */
  private record PortSpec(String variable, int port) {}

  private static Optional<PortSpec> expectedPort(String service) {
    Optional<Component> c = Component.byId(service);
    if (c.isPresent()) {
      return Optional.of(new PortSpec(c.get().portVariable(), c.get().defaultPort()));
    }
    if (service.equals("ops")) {
      return Optional.of(new PortSpec(OPS_PORT_VARIABLE, OPS_PORT));
    }
    return Optional.empty();
  }

  @Test
  void everyComponentIsAServiceOfTheSameName() {
    for (Component c : Component.values()) {
      assertThat(SERVICES.has(c.id())).as("a service %s in docker-compose.yml", c.id()).isTrue();
    }
    assertThat(SERVICES.has("ops")).as("the ops service").isTrue();
    Component.byId("ops")
        .ifPresent(
            ops -> {
              assertThat(ops.defaultPort()).as("ops port").isEqualTo(OPS_PORT);
              assertThat(ops.portVariable()).as("ops port variable").isEqualTo(OPS_PORT_VARIABLE);
            });
  }

  @Test
  void eachComponentPublishesItsDefaultPortOnLoopbackMovedByItsVariable() {
    for (String service : serviceNames()) {
      Optional<PortSpec> expected = expectedPort(service);
      if (expected.isEmpty()) {
        continue;
      }
      List<String> ports = texts(SERVICES.path(service).path("ports"));
      // the quotes app also publishes its WebSocket, moved by its own variable
      boolean quotes = service.equals(Component.QUOTES.id());
      assertThat(ports).as("ports of %s", service).hasSize(quotes ? 2 : 1);
      if (quotes) {
        Matcher ws = COMPONENT_PORT.matcher(ports.get(1));
        assertThat(ws.matches()).as("quotes' WebSocket port, got %s", ports.get(1)).isTrue();
        assertThat(ws.group(1)).isEqualTo(Component.QUOTES_WS_PORT_VARIABLE);
        assertThat(Integer.parseInt(ws.group(2))).isEqualTo(Component.QUOTES_WS_PORT);
        assertThat(Integer.parseInt(ws.group(3))).isEqualTo(Component.QUOTES_WS_PORT);
      }
      Matcher m = COMPONENT_PORT.matcher(ports.get(0));
      assertThat(m.matches())
          .as("%s publishes 127.0.0.1:${VARIABLE:-PORT}:PORT, got %s", service, ports.get(0))
          .isTrue();
      assertThat(m.group(1))
          .as("port variable of %s", service)
          .isEqualTo(expected.get().variable());
      assertThat(Integer.parseInt(m.group(2)))
          .as("default port of %s", service)
          .isEqualTo(expected.get().port());
      assertThat(Integer.parseInt(m.group(3)))
          .as("container port of %s", service)
          .isEqualTo(expected.get().port());
    }
  }

  @Test
  void everyPublishedPortIsOnLoopbackOnly() {
    for (String service : serviceNames()) {
      for (String port : texts(SERVICES.path(service).path("ports"))) {
        if (expectedPort(service).isPresent()) {
          continue; // checked above, with its variable
        }
        Matcher m = PLAIN_PORT.matcher(port);
        assertThat(m.matches()).as("%s publishes %s on 127.0.0.1", service, port).isTrue();
        assertThat(Integer.parseInt(m.group(1)))
            .as("port of %s", service)
            .isEqualTo(MONITORING_PORTS.get(service));
        assertThat(texts(SERVICES.path(service).path("profiles")))
            .as("profiles of %s", service)
            .containsExactly("monitoring");
      }
    }
    assertThat(COMPOSE.toString()).doesNotContain("0.0.0.0:");
  }

  @Test
  void imagesAreTheVersionsOfTheNativeStack() {
    assertThat(image("kafka")).isEqualTo("apache/kafka:" + POM.get("kafka.version"));
    assertThat(image("connect"))
        .isEqualTo("quay.io/debezium/connect:" + POM.get("debezium.version"));
    String registry = "apicurio/apicurio-registry-kafkasql:" + POM.get("apicurio.registry.version");
    assertThat(image("registry")).isEqualTo(registry);
    assertThat(image("registry-config")).isEqualTo(registry);
    String timescale =
        "timescale/timescaledb:"
            + POM.get("timescaledb.version")
            + "-pg"
            + POM.get("postgresql.major");
    JsonNode pgArgs = SERVICES.path("postgres").path("build").path("args");
    assertThat(pgArgs.path("TIMESCALEDB_IMAGE").asText()).isEqualTo(timescale);
    assertThat(pgArgs.path("PG_CRON_VERSION").asText()).isEqualTo(POM.get("pg_cron.version"));
    assertThat(image("postgres"))
        .isEqualTo(timescale.replace("timescale/timescaledb:", "rtx-streams/postgres:"));
    assertThat(image("db-bootstrap")).isEqualTo(timescale);
    assertThat(image("db-schedule")).isEqualTo(timescale);
    assertThat(image("migrate")).isEqualTo("flyway/flyway:" + POM.get("flyway.version"));
    assertThat(image("redis")).isEqualTo("redis:" + POM.get("redis.version"));
    assertThat(image("prometheus")).isEqualTo("prom/prometheus:v" + POM.get("prometheus.version"));
    String java = POM.get("maven.compiler.release");
    for (String service : platformServices()) {
      JsonNode args = SERVICES.path(service).path("build").path("args");
      assertThat(args.path("JRE_IMAGE").asText())
          .as("JRE of %s", service)
          .isEqualTo("eclipse-temurin:" + java + "-jre");
      assertThat(args.path("MAVEN_IMAGE").asText())
          .as("build image of %s", service)
          .endsWith("-eclipse-temurin-" + java);
    }
    for (String service : serviceNames()) {
      String image = image(service);
      assertThat(image).as("image of %s", service).isNotEmpty();
      String tag = image.substring(image.lastIndexOf(':') + 1);
      assertThat(image).as("image of %s has a tag", service).contains(":");
      assertThat(tag).as("tag of %s", service).isNotEqualTo("latest");
    }
  }

  @Test
  void theServicesOfThePlatformImageBuildItTheSameWay() {
    List<String> platform = platformServices();
    assertThat(platform)
        .contains("topics", "connect-plugins", "connectors", "candles", "quotes", "orders", "ops");
    JsonNode first = SERVICES.path(platform.get(0)).path("build");
    for (String service : platform) {
      assertThat(SERVICES.path(service).path("build")).as("build of %s", service).isEqualTo(first);
    }
    assertThat(first.path("dockerfile").asText()).isEqualTo("infra/docker/Dockerfile");
    assertThat(command("candles")).containsExactly("candles");
    assertThat(command("quotes")).containsExactly("quotes");
    assertThat(command("orders")).containsExactly("orders");
    assertThat(command("ops")).containsExactly("ops");
    assertThat(command("topics")).containsExactly("tools", "topics");
    assertThat(command("connectors")).containsExactly("tools", "connect", "apply");
  }

  @Test
  void everyRtxSettingTheFileSetsIsDocumented() {
    Set<String> documented = documentedNames();
    Set<String> undocumented = new TreeSet<>();
    for (String service : serviceNames()) {
      JsonNode env = SERVICES.path(service).path("environment");
      if (env.isMissingNode()) {
        continue;
      }
      assertThat(env.isObject()).as("environment of %s is a map", service).isTrue();
      for (Iterator<String> it = env.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (name.startsWith(Names.ENV_PREFIX)
            && !documented.contains(name)
            && !kafkaClientSetting(name)) {
          undocumented.add(service + ": " + name);
        }
      }
    }
    Matcher m = INTERPOLATION.matcher(read(REPO.resolve("docker-compose.yml")));
    while (m.find()) {
      if (!documented.contains(m.group(1))) {
        undocumented.add("${" + m.group(1) + "}");
      }
    }
    assertThat(undocumented).as("RTX_* names in docker-compose.yml nobody documents").isEmpty();
  }

  @Test
  void everyVariableTheFileReadsIsInTheEnvExampleAndNoSecretIsInline() {
    String example = read(REPO.resolve(".env.example"));
    Matcher m = INTERPOLATION.matcher(read(REPO.resolve("docker-compose.yml")));
    Set<String> required = new TreeSet<>();
    while (m.find()) {
      assertThat(example).as(".env.example mentions %s", m.group(1)).contains(m.group(1) + "=");
      if ("?".equals(m.group(2)) || ":?".equals(m.group(2))) {
        required.add(m.group(1));
      }
    }
    for (String name : required) {
      assertThat(example)
          .as("%s is left for the user to set", name)
          .containsPattern("(?m)^" + name + "=$");
    }
    for (String service : serviceNames()) {
      JsonNode env = SERVICES.path(service).path("environment");
      for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().contains("PASSWORD")) {
          assertThat(e.getValue().asText())
              .as("%s of %s comes from .env, with no default", e.getKey(), service)
              .matches("\\$\\{RTX_[A-Z0-9_]+:(\\?[^}]+|-)}");
        }
      }
    }
    assertThat(read(REPO.resolve(".gitignore"))).containsPattern("(?m)^\\.env$");
    assertThat(read(REPO.resolve(".dockerignore"))).containsPattern("(?m)^\\.env$");
  }

  @Test
  void servicesStartInTheNativeStacksOrder() {
    for (String service : serviceNames()) {
      JsonNode s = SERVICES.path(service);
      if (!oneShot(service)) {
        assertThat(s.has("healthcheck")).as("%s has a health check", service).isTrue();
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("depends_on").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> d = it.next();
        assertThat(SERVICES.has(d.getKey())).as("%s depends on a service", service).isTrue();
        assertThat(d.getValue().path("condition").asText())
            .as("%s waits for %s", service, d.getKey())
            .isEqualTo(oneShot(d.getKey()) ? "service_completed_successfully" : "service_healthy");
      }
    }
    // what Component says each process needs, it waits for (directly or through another)
    for (Component c : Component.values()) {
      Set<String> waitsFor = dependencies(c.id());
      for (Component need : c.needs()) {
        assertThat(waitsFor).as("%s waits for %s", c.id(), need.id()).contains(need.id());
      }
    }
    // the set-up steps, in the order ./rtx up takes them
    assertThat(dependencies("migrate")).contains("db-bootstrap", "postgres");
    assertThat(dependencies("db-schedule")).contains("migrate");
    assertThat(dependencies("connect"))
        .contains("db-schedule", "registry-config", "topics", "connect-plugins");
    assertThat(dependencies("connectors")).contains("connect");
    for (Component app : Component.values()) {
      if (app.kind() == Component.Kind.APP) {
        assertThat(dependencies(app.id())).as(app.id()).contains("topics", "registry-config");
      }
    }
  }

  @Test
  void theWorkerIsConfiguredAsTheNativeOneAndGetsEveryVariableItsConnectorsRead() {
    Properties worker = new Properties();
    try (Reader r =
        Files.newBufferedReader(REPO.resolve("infra/docker/connect-distributed.properties"))) {
      worker.load(r);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    JsonNode candlesEnv = SERVICES.path("candles").path("environment");
    assertThat(worker.getProperty("bootstrap.servers"))
        .isEqualTo(candlesEnv.path("RTX_KAFKA_BOOTSTRAP_SERVERS").asText());
    assertThat(worker.getProperty("value.converter.apicurio.registry.url"))
        .isEqualTo(candlesEnv.path("RTX_REGISTRY_URL").asText());
    assertThat(worker.getProperty("group.id")).isEqualTo(Names.CONNECT_GROUP);
    assertThat(worker.getProperty("config.storage.topic")).isEqualTo(Names.CONNECT_CONFIG_TOPIC);
    assertThat(worker.getProperty("offset.storage.topic")).isEqualTo(Names.CONNECT_OFFSET_TOPIC);
    assertThat(worker.getProperty("status.storage.topic")).isEqualTo(Names.CONNECT_STATUS_TOPIC);
    assertThat(texts(SERVICES.path("connect").path("volumes")))
        .contains("connect-plugins:" + worker.getProperty("plugin.path") + ":ro");

    Pattern allowed =
        Pattern.compile(worker.getProperty("config.providers.env.param.allowlist.pattern"));
    JsonNode connectEnv = SERVICES.path("connect").path("environment");
    for (String variable : connectorVariables()) {
      assertThat(allowed.matcher(variable).matches()).as("%s is allowed", variable).isTrue();
      assertThat(connectEnv.path(variable).asText())
          .as("the connect service sets %s", variable)
          .isNotEmpty();
    }
    // the apps reach the broker on the listener it advertises to the compose network
    assertThat(
            SERVICES.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText())
        .contains("INTERNAL://" + worker.getProperty("bootstrap.servers"));
  }

  @Test
  void theDatabaseBootstrapCreatesEveryRoleOfTheNativeStack() {
    String init = read(REPO.resolve("infra/docker/db-init.sh"));
    for (Secrets.Role role : Secrets.Role.values()) {
      assertThat(init)
          .as("db-init.sh creates %s", role.roleName())
          .contains("'" + role.roleName() + "'");
    }
    assertThat(init).contains("'rtx_maintenance'", "CREATE EXTENSION IF NOT EXISTS timescaledb");
    assertThat(init)
        .contains(
            "CREATE EXTENSION IF NOT EXISTS pg_cron",
            "rtx-ticks-retention",
            "rtx-candles-retention");
    assertThat(texts(SERVICES.path("postgres").path("command")))
        .contains("wal_level=logical", "shared_preload_libraries=timescaledb,pg_cron");
    assertThat(texts(SERVICES.path("migrate").path("volumes")))
        .contains("./infra/sql:/flyway/sql:ro");
  }

  @Test
  void redisHasTheUsersOfTheNativeStackEachWithItsPasswordFromTheEnvironment() {
    String script = read(REPO.resolve("infra/docker/redis.sh"));
    JsonNode env = SERVICES.path("redis").path("environment");
    for (RedisUser user : RedisUser.values()) {
      String variable = "RTX_REDIS_" + user.name() + "_PASSWORD";
      assertThat(script)
          .as("redis.sh gives %s the rules of RedisUser", user.userName())
          .contains(
              "user " + user.userName() + " \"${" + variable + ":-}\" '" + user.rules() + "'");
      assertThat(env.path(variable).asText())
          .as("redis gets %s", variable)
          .startsWith("${" + variable);
    }
    assertThat(script).contains("user default off");
    assertThat(texts(SERVICES.path("redis").path("command"))).contains("/rtx/docker/redis.sh");
  }

  // ---------------------------------------------------------------------------------- helpers

  /** Names the README's tables and the code document as settings. */
  private static Set<String> documentedNames() {
    Set<String> names = new HashSet<>();
    for (String line : read(REPO.resolve("README.md")).split("\n")) {
      if (line.startsWith("|")) {
        Matcher m = RTX_NAME.matcher(line);
        while (m.find()) {
          names.add(m.group());
        }
      }
    }
    for (Component c : Component.values()) {
      names.add(c.portVariable());
    }
    if (Component.byId("ops").isEmpty()) {
      names.add(OPS_PORT_VARIABLE);
    }
    names.add(Component.KAFKA_CONTROLLER_PORT_VARIABLE);
    names.addAll(
        List.of(
            StackSettings.HOME,
            StackSettings.PG_DB,
            StackSettings.PG_USER,
            StackSettings.PG_PASSWORD,
            StackSettings.HEAP,
            StackSettings.APP_HEAP,
            StackSettings.TICKS_RETENTION,
            StackSettings.CANDLES_RETENTION,
            StackSettings.SLOT_WAL_WARN));
    for (String app : List.of("candles", "quotes", "orders", "ops", "tools")) {
      Settings.defaults(app).asMap().keySet().forEach(k -> names.add(Names.envName(k)));
    }
    names.addAll(connectorVariables());
    names.addAll(
        List.of(BackOfficeDatabase.URL, BackOfficeDatabase.USER, BackOfficeDatabase.PASSWORD));
    return names;
  }

  /** Any Kafka client or Streams setting may be given as {@code RTX_KAFKA_<NAME>} (Settings). */
  private static boolean kafkaClientSetting(String env) {
    String prefix = Names.ENV_PREFIX + "KAFKA_";
    if (!env.startsWith(prefix)) {
      return false;
    }
    String name = env.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    return StreamsConfig.configDef().names().contains(name)
        || ConsumerConfig.configNames().contains(name)
        || ProducerConfig.configNames().contains(name)
        || AdminClientConfig.configNames().contains(name);
  }

  /** The variables connector configs read from the worker ({@code ${env:RTX_…}}). */
  private static Set<String> connectorVariables() {
    Set<String> names = new TreeSet<>();
    Pattern env = Pattern.compile("\\$\\{env:(RTX_[A-Z0-9_]+)}");
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(REPO.resolve("connectors"), "*.json*")) {
      for (Path f : files) {
        Matcher m = env.matcher(read(f));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(names).as("variables of the connectors").isNotEmpty();
    return names;
  }

  private static List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    SERVICES.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> platformServices() {
    return serviceNames().stream()
        .filter(s -> image(s).equals("rtx-streams/platform:local"))
        .toList();
  }

  private static boolean oneShot(String service) {
    return SERVICES.path(service).path("restart").asText().equals("no");
  }

  /** Every service {@code service} waits for, directly or through others. */
  private static Set<String> dependencies(String service) {
    Set<String> seen = new TreeSet<>();
    List<String> todo = new ArrayList<>(List.of(service));
    while (!todo.isEmpty()) {
      String s = todo.remove(todo.size() - 1);
      SERVICES
          .path(s)
          .path("depends_on")
          .fieldNames()
          .forEachRemaining(
              d -> {
                if (seen.add(d)) {
                  todo.add(d);
                }
              });
    }
    return seen;
  }

  private static String image(String service) {
    return SERVICES.path(service).path("image").asText();
  }

  private static List<String> command(String service) {
    return texts(SERVICES.path(service).path("command"));
  }

  private static List<String> texts(JsonNode list) {
    List<String> texts = new ArrayList<>();
    list.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static JsonNode readYaml(Path file) {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /** The root pom's {@code <properties>}. */
  private static Map<String, String> pomProperties(Path pom) {
    try {
      Element root =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(pom.toFile())
              .getDocumentElement();
      Map<String, String> props = new LinkedHashMap<>();
      NodeList sections = root.getElementsByTagName("properties");
      NodeList children = sections.item(0).getChildNodes();
      for (int i = 0; i < children.getLength(); i++) {
        Node n = children.item(i);
        if (n.getNodeType() == Node.ELEMENT_NODE) {
          props.put(n.getNodeName(), n.getTextContent().trim());
        }
      }
      return props;
    } catch (Exception e) {
      throw new AssertionError("cannot read " + pom, e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
