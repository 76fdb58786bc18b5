package io.rtx.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry runs BACKWARD compatibility: consumers on the new schema must read data written with
 * the old one.
 */
@UsesLocalStack({Component.REGISTRY})
class SchemaCompatibilityIT {

  private static final String SUBJECT = "it.compat.ticks-value";
  private final LocalStack stack;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  SchemaCompatibilityIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void globalCompatibilityIsBackward() throws Exception {
    HttpResponse<String> r = send("GET", "/config", null);
    assertThat(json.readTree(r.body()).get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
  }

  @Test
  void incompatibleChangeIsRefusedAndCompatibleOneAccepted() throws Exception {
    String v1 = Tick.getClassSchema().toString();
    assertThat(register(v1).statusCode()).isEqualTo(200);

    // A new required field without a default: new readers could not read old ticks.
    String incompatible =
        v1.replace(
            "{\"name\":\"venue\",",
            "{\"name\":\"book_depth\",\"type\":\"int\"},{\"name\":\"venue\",");
    assertThat(incompatible).isNotEqualTo(v1);
    HttpResponse<String> refused = register(incompatible);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);

    // An optional field with a default is a backward-compatible evolution.
    String compatible =
        v1.replace(
            "{\"name\":\"venue\",",
            "{\"name\":\"book_depth\",\"type\":[\"null\",\"int\"],\"default\":null},{\"name\":\"venue\",");
    HttpResponse<String> accepted = register(compatible);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(json.readTree(send("GET", "/subjects/" + SUBJECT + "/versions", null).body()))
        .hasSize(2);
  }

  private HttpResponse<String> register(String schema) throws Exception {
    return send(
        "POST",
        "/subjects/" + SUBJECT + "/versions",
        json.writeValueAsString(Map.of("schema", schema)));
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.confluentRegistryUrl() + path))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
