package io.rtx.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Registers the value schema of every catalog topic whose values are Avro records under its {@code
 * <topic>-value} subject, through the registry's Confluent API. Applied with the topic catalog, so
 * that the platform's serializers (which register nothing, see {@link RegistrySerdes#config}) and a
 * client that serializes with a subject's latest schema find it before anything has been written.
 * Registering a schema the subject already holds is a no-op; one the subject's compatibility rule
 * refuses is an error.
 */
public final class SchemaCatalog {

  /** The suffix of {@code registry.url}, the registry's own API. */
  static final String CORE_API = "/apis/registry/v2";

  /** The same registry's Confluent-compatible API. */
  static final String CONFLUENT_API = "/apis/ccompat/v7";

  private SchemaCatalog() {}

  /** The Confluent API of the registry whose core API is {@code registryUrl}. */
  public static String confluentUrl(String registryUrl) {
    if (!registryUrl.endsWith(CORE_API)) {
      throw new IllegalArgumentException(
          "registry.url must end with " + CORE_API + ", was: " + registryUrl);
    }
    return registryUrl.substring(0, registryUrl.length() - CORE_API.length()) + CONFLUENT_API;
  }

  /**
   * Registers every catalog value schema; returns the ids the registry gave them (the content ids
   * the platform's serializers write).
   */
  public static List<Long> registerAll(String registryUrl, Consumer<String> progress) {
    String base = confluentUrl(registryUrl);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ObjectMapper json = new ObjectMapper();
    List<Long> ids = new ArrayList<>();
    for (TopicSpec<?, ?> topic : Topics.ALL) {
      if (!SpecificRecord.class.isAssignableFrom(topic.valueType())) {
        continue;
      }
      String subject = topic.name() + "-value";
      HttpResponse<String> r =
          post(http, base + "/subjects/" + subject + "/versions", body(json, topic));
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "could not register the schema of "
                + subject
                + ": HTTP "
                + r.statusCode()
                + " "
                + r.body());
      }
      ids.add(id(json, r.body()));
    }
    progress.accept("registry  value schemas of " + ids.size() + " catalog topics registered");
    return ids;
  }

  private static long id(ObjectMapper json, String response) {
    try {
      return json.readTree(response).path("id").asLong();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the registry answered without an id: " + response, e);
    }
  }

  private static String body(ObjectMapper json, TopicSpec<?, ?> topic) {
    try {
      String schema = SpecificData.get().getSchema(topic.valueType()).toString();
      return json.writeValueAsString(Map.of("schema", schema));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> post(HttpClient http, String url, String body) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/vnd.schemaregistry.v1+json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not register schemas at " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering schemas", e);
    }
  }
}
