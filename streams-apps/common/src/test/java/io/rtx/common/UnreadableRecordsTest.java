package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rtx.schemas.PatientDeserializer;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnreadableRecordsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final UnreadableRecords handler = new UnreadableRecords();
  private final ConsumerRecord<byte[], byte[]> record =
      new ConsumerRecord<>("market.ticks", 2, 41L, "EURUSD".getBytes(), new byte[] {0, 0, 0, 0, 7});

  /** Where the record was when it could not be read. */
  private final ErrorHandlerContext context =
      new DefaultErrorHandlerContext(
          null,
          record.topic(),
          record.partition(),
          record.offset(),
          new RecordHeaders(),
          "candles-ticks",
          new TaskId(0, 2),
          0L,
          record.key(),
          record.value());

  @BeforeEach
  void setUp() {
    Metrics.addRegistry(registry);
    handler.configure(Map.of("application.id", "rtx-candles"));
  }

  @AfterEach
  void tearDown() {
    Metrics.removeRegistry(registry);
  }

  private double unreadable() {
    var c =
        registry
            .find(DeadLetters.METRIC)
            .tags("app", "candles", "reason", TickRules.UNREADABLE)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void anUnreadableRecordIsSkippedAndCounted() {
    double before = unreadable();
    var response = handler.handleError(context, record, new SerializationException("not Avro"));

    assertThat(response.result()).isEqualTo(Result.RESUME);
    assertThat(unreadable()).isEqualTo(before + 1);
  }

  @Test
  void aRecordThatWaitedForTheRegistryIsNeverSkipped() {
    double before = unreadable();
    var outage =
        new StreamsException(
            new PatientDeserializer.RegistryUnavailableException(
                "schema registry unreachable for 60s", new RuntimeException()));
    var response = handler.handleError(context, record, outage);

    assertThat(response.result()).isEqualTo(Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
    assertThat(unreadable()).isEqualTo(before);
  }
}
