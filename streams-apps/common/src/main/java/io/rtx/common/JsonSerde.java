package io.rtx.common;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON (the shared {@link Json} mapper) of one type, for an app's own state stores and internal
 * topics, where writer and reader are the same build. Topics that others read use the registry.
 */
public final class JsonSerde<T> implements Serde<T> {

  private final Class<T> type;

  public JsonSerde(Class<T> type) {
    this.type = type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : Json.bytes(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      try {
        return Json.read(data, type);
      } catch (IllegalArgumentException e) {
        throw new SerializationException(
            "cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
      }
    };
  }
}
