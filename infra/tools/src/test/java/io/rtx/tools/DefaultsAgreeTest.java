package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.common.Settings;
import io.rtx.schemas.Component;
import io.rtx.schemas.Topics;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The apps' default settings name ports, ids and topics whose one definition is in {@link
 * Component} and {@link Topics}; these tests fail when a default drifts from its definition.
 */
class DefaultsAgreeTest {

  @Test
  void commonDefaultsPointAtTheLocalStacksPorts() {
    Settings common = Settings.defaults("tools");
    assertThat(common.get("kafka.bootstrap.servers"))
        .isEqualTo("127.0.0.1:" + Component.KAFKA.defaultPort());
    assertThat(URI.create(common.get("registry.url")).getPort())
        .isEqualTo(Component.REGISTRY.defaultPort());
  }

  @Test
  void eachAppsPortAndApplicationIdAreItsComponents() {
    for (Component app : new Component[] {Component.CANDLES, Component.QUOTES, Component.ORDERS}) {
      Settings s = Settings.defaults(app.id());
      assertThat(s.getInt("http.port")).as(app.id()).isEqualTo(app.defaultPort());
      assertThat(s.get("kafka.application.id"))
          .as(app.id())
          .isEqualTo(app.applicationId().orElseThrow());
      String server = s.get("kafka.application.server", "127.0.0.1:" + app.defaultPort());
      assertThat(server).as(app.id()).isEqualTo("127.0.0.1:" + app.defaultPort());
    }
  }

  @Test
  void theCandlesDeadLetterTopicIsTheCatalogs() {
    assertThat(Settings.defaults("candles").get("kafka.errors.dead.letter.queue.topic.name"))
        .isEqualTo(Topics.MARKET_TICKS_DLQ.name());
  }

  @Test
  void theQuotesRedisIsTheLocalStacks() {
    assertThat(URI.create(Settings.defaults("quotes").get("quotes.redis.url")).getPort())
        .isEqualTo(Component.REDIS.defaultPort());
  }
}
