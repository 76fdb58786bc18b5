package io.rtx.common;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The JSON every rtx HTTP endpoint speaks: snake_case property names, {@link BigDecimal} as a plain
 * decimal string ({@code "1.08250000"}, never a JSON number, which clients would read as a double),
 * {@link java.time.Instant} as an ISO-8601 string, and on input unknown properties, duplicate keys
 * and trailing content refused. Plus {@link #string}, the one escape our hand-built messages need.
 */
public final class Json {

  /** Configured once here and never handed out, so no caller can change it for the others. */
  private static final ObjectMapper MAPPER = newMapper();

  private Json() {}

  /** A new mapper with the settings above, for callers that need more than read and write. */
  public static ObjectMapper newMapper() {
    ObjectMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    mapper
        .configOverride(BigDecimal.class)
        .setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
    return mapper;
  }

  /** {@code value} as JSON text. */
  public static String write(Object value) {
    return new String(bytes(value), StandardCharsets.UTF_8);
  }

  /** {@code value} as UTF-8 JSON. */
  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      // Output we build ourselves failed to serialize: a bug here, not bad input.
      throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as JSON", e);
    }
  }

  /**
   * Reads {@code json} as a {@code type}.
   *
   * @throws IllegalArgumentException when it is not valid JSON or not a {@code type}, with where
   *     and why
   */
  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + describe(e), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where and what, without Jackson's class names and source excerpts. */
  private static String describe(JsonProcessingException e) {
    String what =
        e instanceof UnrecognizedPropertyException u
            ? "unknown property \"" + u.getPropertyName() + "\""
            // Jackson's advice on which feature to switch off is for us, not for the client.
            : e.getOriginalMessage().replaceFirst(" \\(set [^)]*to allow\\)$", "");
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String where =
          m.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."));
      return where + ": " + what;
    }
    return what;
  }

  /**
   * {@code s} as a JSON string: a quote and a backslash are escaped with a backslash, every other
   * character below U+0020 as its four-hex-digit unicode escape (the minimal escape of RFC 8259),
   * everything else is written as is.
   */
  public static String string(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
