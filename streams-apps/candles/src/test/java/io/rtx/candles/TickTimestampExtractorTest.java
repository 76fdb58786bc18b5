package io.rtx.candles;

import static io.rtx.candles.Ticks.tick;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TickTimestampExtractorTest {

  private static final Instant T = Instant.parse("2026-11-26T10:00:00.250Z");
  private final TickTimestampExtractor extractor =
      new TickTimestampExtractor(new TickCheck(PriceBasis.BID, Ticks.MAX_AHEAD, Ticks.CLOCK));

  private static ConsumerRecord<Object, Object> record(Object key, Object value, long timestamp) {
    return new ConsumerRecord<>(
        "market.ticks",
        0,
        0,
        timestamp,
        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
        0,
        0,
        key,
        value,
        new org.apache.kafka.common.header.internals.RecordHeaders(),
        java.util.Optional.empty());
  }

  @Test
  void aGoodTickIsTimedByItsEventTimeNotTheRecordTime() {
    assertThat(extractor.extract(record("EURUSD", tick("EURUSD", 1, T, "1.1"), 99), 5))
        .isEqualTo(T.toEpochMilli());
  }

  @Test
  void aRecordBoundForTheDlqKeepsStreamTimeWhereItIs() {
    long partitionTime = 1_000;
    Instant future = Instant.parse("2100-01-01T00:00:00Z");
    assertThat(extractor.extract(record("EURUSD", null, 99_999), partitionTime))
        .isEqualTo(partitionTime);
    assertThat(
            extractor.extract(
                record("GBPUSD", tick("EURUSD", 1, future, "1.1"), 99_999), partitionTime))
        .isEqualTo(partitionTime);
    assertThat(
            extractor.extract(
                record("EURUSD", tick("EURUSD", 1, future, "0"), 99_999), partitionTime))
        .isEqualTo(partitionTime);
    assertThat(extractor.extract(record(null, tick("EURUSD", 1, future, "1.1"), 99_999), -1))
        .isZero();
  }
}
