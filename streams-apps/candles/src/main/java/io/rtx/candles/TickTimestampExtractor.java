package io.rtx.candles;

import io.rtx.schemas.Tick;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a tick ({@code Tick.ts}). A record that will go to the DLQ gets the partition's
 * current time instead, so a broken record (a garbage ts, a tombstone) never moves stream time and
 * never closes windows early.
 */
final class TickTimestampExtractor implements TimestampExtractor {

  private final TickCheck check;

  TickTimestampExtractor(TickCheck check) {
    this.check = check;
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    String key = record.key() instanceof String k ? k : null;
    if (record.value() instanceof Tick tick && check.problem(key, tick).isEmpty()) {
      return tick.getTs().toEpochMilli();
    }
    return Math.max(partitionTime, 0L);
  }
}
