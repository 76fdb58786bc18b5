package io.rtx.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class PatientDeserializerTest {

  /** Magic byte, 4-byte schema id, one byte of Avro. */
  private static final byte[] WIRE = {0, 0, 0, 0, 7, 2};

  /** Fails its first {@code failures} reads, then reads "tick". */
  private static Deserializer<String> failing(int failures, AtomicInteger calls) {
    return (topic, data) -> {
      if (calls.incrementAndGet() <= failures) {
        throw new SerializationException("cannot reach the registry");
      }
      return "tick";
    };
  }

  private static String closedPortUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return "http://127.0.0.1:" + port + "/apis/registry/v2";
  }

  @Test
  void aRecordWaitsForAnUnreachableRegistryAndIsReadOnceItAnswers() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    PatientDeserializer<String> d =
        new PatientDeserializer<>(failing(3, calls), closedPortUrl(), Duration.ofSeconds(30));

    assertThat(d.deserialize("market.ticks", WIRE)).isEqualTo("tick");
    assertThat(calls).hasValue(4);
    assertThat(PatientDeserializer.outage()).isEmpty();
  }

  @Test
  void aRegistryThatStaysAwayStopsTheReadWithoutSkippingTheRecord() throws Exception {
    PatientDeserializer<String> d =
        new PatientDeserializer<>(
            failing(Integer.MAX_VALUE, new AtomicInteger()),
            closedPortUrl(),
            Duration.ofMillis(300));

    assertThatThrownBy(() -> d.deserialize("market.ticks", WIRE))
        .isInstanceOf(PatientDeserializer.RegistryUnavailableException.class)
        .isNotInstanceOf(SerializationException.class);
    assertThat(PatientDeserializer.outage())
        .hasValueSatisfying(o -> assertThat(o).startsWith("schema registry unreachable since"));
    // the next good read ends the outage
    assertThat(
            new PatientDeserializer<>(failing(0, new AtomicInteger()), closedPortUrl())
                .deserialize("market.ticks", WIRE))
        .isEqualTo("tick");
    assertThat(PatientDeserializer.outage()).isEmpty();
  }

  @Test
  void whenTheRegistryAnswersTheRecordItselfIsBad() throws Exception {
    HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    registry.createContext(
        "/apis/registry/v2/system/info",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    registry.start();
    try {
      AtomicInteger calls = new AtomicInteger();
      String url = "http://127.0.0.1:" + registry.getAddress().getPort() + "/apis/registry/v2";
      PatientDeserializer<String> d = new PatientDeserializer<>(failing(1, calls), url);

      assertThatThrownBy(() -> d.deserialize("market.ticks", WIRE))
          .isInstanceOf(SerializationException.class);
      assertThat(calls).hasValue(1);
    } finally {
      registry.stop(0);
    }
  }

  @Test
  void bytesNotInTheRegistryFormatAreBadWithoutAsking() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    PatientDeserializer<String> d = new PatientDeserializer<>(failing(1, calls), closedPortUrl());

    assertThatThrownBy(() -> d.deserialize("market.ticks", new byte[] {'{', '}'}))
        .isInstanceOf(SerializationException.class);
    assertThat(calls).hasValue(1);
  }
}
