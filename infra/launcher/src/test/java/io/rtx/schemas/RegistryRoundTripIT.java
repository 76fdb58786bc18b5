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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** Every schema through the real registry and a real broker, in the Confluent wire format. */
@UsesLocalStack({Component.KAFKA, Component.REGISTRY})
class RegistryRoundTripIT {

  private final LocalStack stack;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  RegistryRoundTripIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void everySchemaRoundTripsInTheConfluentWireFormat() throws Exception {
    for (SpecificRecord record : Samples.everyType()) {
      String topic = "it.roundtrip." + record.getClass().getSimpleName();
      Serde<SpecificRecord> writerSerde = RegistrySerdes.autoRegistering(stack.registryUrl());
      byte[] bytes = writerSerde.serializer().serialize(topic, record);

      // magic byte 0, then a 4-byte big-endian schema id that the Confluent API resolves to our
      // schema
      assertThat(bytes[0]).as("magic byte of %s", topic).isZero();
      int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
      JsonNode byId = get("/schemas/ids/" + id);
      assertThat(new Schema.Parser().parse(byId.get("schema").asText()))
          .isEqualTo(record.getSchema());
      JsonNode latest = get("/subjects/" + topic + "-value/versions/latest");
      assertThat(latest.get("id").asInt()).isEqualTo(id);

      // through the broker, read back by a fresh deserializer that only knows the registry
      byte[] consumed = produceAndConsume(topic, bytes);
      Serde<SpecificRecord> readerSerde = RegistrySerdes.value(stack.registryUrl());
      assertThat(readerSerde.deserializer().deserialize(topic, consumed)).isEqualTo(record);
    }
  }

  /**
   * A dead-letter or repartition topic has no subject of its own. A serializer with nothing cached
   * yet (an app's first record after a start) cannot write there by its topic's subject; one pinned
   * to the catalog topic the records come from can.
   */
  @Test
  void aTopicWithoutASubjectIsWrittenUnderItsCatalogTopicsSubject() {
    SchemaCatalog.registerAll(stack.registryUrl(), line -> {});
    Tick tick = Samples.tick();
    String dlq = Topics.MARKET_TICKS_DLQ.name();

    byte[] bytes =
        RegistrySerdes.<Tick>valueOf(stack.registryUrl(), Topics.MARKET_TICKS.name())
            .serializer()
            .serialize(dlq, tick);
    assertThat(
            RegistrySerdes.<Tick>value(stack.registryUrl()).deserializer().deserialize(dlq, bytes))
        .isEqualTo(tick);
    assertThatThrownBy(
            () -> RegistrySerdes.<Tick>value(stack.registryUrl()).serializer().serialize(dlq, tick))
        .as("a fresh serializer looking under %s-value, which does not exist", dlq)
        .isInstanceOf(RuntimeException.class);
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.confluentRegistryUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  private byte[] produceAndConsume(String topic, byte[] value) throws Exception {
    Map<String, Object> p =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      admin
          .createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)))
          .all()
          .get();
    }
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, value)).get();
    }
    Map<String, Object> c =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + topic,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    try (var consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          return r.value();
        }
      }
    }
    throw new AssertionError("nothing consumed from " + topic);
  }
}
