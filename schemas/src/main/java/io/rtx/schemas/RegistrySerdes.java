package io.rtx.schemas;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro serdes against a schema registry, writing the Confluent wire format (magic byte 0, 4-byte
 * schema id, Avro binary) under subject {@code <topic>-value} (or {@code -key}), so any
 * Confluent-compatible client reads our topics. The registry URL is the registry's core v2 API,
 * e.g. {@code http://127.0.0.1:8081/apis/registry/v2}.
 */
public final class RegistrySerdes {

  private RegistrySerdes() {}

  /**
   * Serde configs for the given registry; exposed so plain producers/consumers can use them too.
   * Serializers register nothing: they look their schema up by content under the topic's subject,
   * which {@code ./rtx up} (applying the topic catalog) has registered. A producer built from a
   * schema the registry does not hold fails instead of changing the subject.
   */
  public static Map<String, Object> config(String registryUrl) {
    Map<String, Object> c = new HashMap<>();
    c.put("apicurio.registry.url", registryUrl);
    c.put("apicurio.registry.auto-register", "false");
    c.put("apicurio.registry.headers.enabled", "false");
    c.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
    c.put("apicurio.registry.use-id", "contentId");
    c.put("apicurio.registry.use-specific-avro-reader", "true");
    // One self-contained schema per subject (nested enums inline), not Apicurio-style references.
    c.put("apicurio.registry.dereference-schema", "true");
    c.put("apicurio.registry.avro-datum-provider", RememberingDatumProvider.class.getName());
    return c;
  }

  public static <T extends SpecificRecord> Serde<T> value(String registryUrl) {
    return value(registryUrl, false);
  }

  /**
   * A serde whose serializer registers its schema when the subject lacks it: for topics outside the
   * catalog, such as a test's own.
   */
  public static <T extends SpecificRecord> Serde<T> autoRegistering(String registryUrl) {
    return value(registryUrl, true);
  }

  /**
   * A serde for an app's internal topic (a repartition topic) whose records are those of {@code
   * topic}: its serializer finds the schema under {@code topic}'s subject, whatever topic it
   * writes. The internal topic's own subject does not exist, and without this a serializer whose
   * cache is cold (the first record after a restart) failed looking there.
   */
  public static <T extends SpecificRecord> Serde<T> valueOf(String registryUrl, String topic) {
    return value(
        registryUrl, false, Map.of("apicurio.registry.artifact.artifact-id", topic + "-value"));
  }

  private static <T extends SpecificRecord> Serde<T> value(String registryUrl, boolean register) {
    return value(registryUrl, register, Map.of());
  }

  private static <T extends SpecificRecord> Serde<T> value(
      String registryUrl, boolean register, Map<String, Object> extra) {
    Serializer<T> serializer = new AvroKafkaSerializer<>();
    Deserializer<T> deserializer =
        new PatientDeserializer<>(new AvroKafkaDeserializer<>(), registryUrl);
    Map<String, Object> c = config(registryUrl);
    c.put("apicurio.registry.auto-register", String.valueOf(register));
    c.putAll(extra);
    serializer.configure(c, false);
    deserializer.configure(c, false);
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
