package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMaskTest {

  @Test
  void secretsAndPasswordsInUrlsAreMaskedTheRestShown() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("quotes.redis.url", "redis://:s3cret@redis:6379");
    settings.put("orders.redis.url", "rediss://app:s3cret@redis:6380/0");
    settings.put("kafka.sasl.jaas.config", "PlainLoginModule required password=\"s3cret\";");
    settings.put("registry.url", "http://127.0.0.1:8081/apis/registry/v2");
    settings.put("kafka.key.serializer", "StringSerializer");

    assertThat(ConfigMask.mask(settings))
        .containsExactly(
            Map.entry("quotes.redis.url", "redis://:******@redis:6379"),
            Map.entry("orders.redis.url", "rediss://app:******@redis:6380/0"),
            Map.entry("kafka.sasl.jaas.config", ConfigMask.MASK),
            Map.entry("registry.url", "http://127.0.0.1:8081/apis/registry/v2"),
            Map.entry("kafka.key.serializer", "StringSerializer"));
  }
}
