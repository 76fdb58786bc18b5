package io.rtx.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/**
 * After the catalog is applied, every catalog topic with Avro values has its {@code <topic>-value}
 * subject, so a non-Java client that serializes with the subject's latest schema (and registers
 * nothing) can publish before any Java producer has.
 */
@UsesLocalStack({Component.KAFKA, Component.REGISTRY})
class SchemaRegistrationIT {

  private final LocalStack stack;
  private final HttpClient http = HttpClient.newHttpClient();

  SchemaRegistrationIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void everyAvroValueTopicHasItsSubjectsLatestSchema() throws Exception {
    stack.stack().applyTopics(line -> {});
    stack.stack().applyTopics(line -> {}); // again: registering the same schema is a no-op

    int checked = 0;
    for (TopicSpec<?, ?> topic : Topics.ALL) {
      if (!SpecificRecord.class.isAssignableFrom(topic.valueType())) {
        continue;
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          stack.confluentRegistryUrl()
                              + "/subjects/"
                              + topic.name()
                              + "-value/versions/latest"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(topic.name() + ": " + r.body()).isEqualTo(200);
      JsonNode latest = new ObjectMapper().readTree(r.body());
      assertThat(new Schema.Parser().parse(latest.get("schema").asText()))
          .as(topic.name())
          .isEqualTo(SpecificData.get().getSchema(topic.valueType()));
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(8);
  }

  @Test
  void thePlatformsSerializersUseTheRegisteredSchemaAndRegisterNothing() throws Exception {
    stack.stack().applyTopics(line -> {});
    Serializer<Tick> serializer = RegistrySerdes.<Tick>value(stack.registryUrl()).serializer();

    byte[] bytes = serializer.serialize(Topics.MARKET_TICKS.name(), Samples.tick());
    JsonNode versions = get("/subjects/" + Topics.MARKET_TICKS.name() + "-value/versions");
    assertThat(versions.size()).as("versions after a serialization").isEqualTo(1);
    JsonNode latest = get("/subjects/" + Topics.MARKET_TICKS.name() + "-value/versions/latest");
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latest.get("id").asInt());
    // the ids registering returns, with which the apps warm their deserializers at start, are the
    // ids records carry
    assertThat(SchemaCatalog.registerAll(stack.registryUrl(), line -> {}))
        .contains((long) ByteBuffer.wrap(bytes, 1, 4).getInt());

    String outside = "it.unregistered.ticks";
    Serializer<Tick> fresh = RegistrySerdes.<Tick>value(stack.registryUrl()).serializer();
    assertThatThrownBy(() -> fresh.serialize(outside, Samples.tick()))
        .isInstanceOf(RuntimeException.class);
    assertThat(status("/subjects/" + outside + "-value/versions")).isEqualTo(404);
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = send(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  private int status(String path) throws Exception {
    return send(path).statusCode();
  }

  private HttpResponse<String> send(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(stack.confluentRegistryUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
