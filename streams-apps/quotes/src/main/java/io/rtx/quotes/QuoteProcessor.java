package io.rtx.quotes;

import io.rtx.common.DeadLetters;
import io.rtx.common.TickRules;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads each tick from its bytes, sends unreadable or invalid ones to the DLQ as received, and
 * buffers the rest for the quote sink, flushed by batch size, by wall-clock interval and before
 * every commit.
 */
final class QuoteProcessor implements Processor<byte[], byte[], byte[], byte[]> {

  private final Deserializer<Tick> ticks;
  private final Duration flushInterval;
  private final String dlqNode;
  private ProcessorContext<byte[], byte[]> context;
  private QuoteBuffer buffer;

  QuoteProcessor(Deserializer<Tick> ticks, Duration flushInterval, String dlqNode) {
    this.ticks = ticks;
    this.flushInterval = flushInterval;
    this.dlqNode = dlqNode;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.buffer = context.getStateStore(QuoteBuffer.NAME);
    // wall clock, not stream time: a quiet symbol's last tick must not wait for the next record
    context.schedule(
        flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> buffer.publishPending());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Tick tick;
    try {
      String topic =
          context.recordMetadata().map(RecordMetadata::topic).orElse(Topics.MARKET_TICKS.name());
      tick = ticks.deserialize(topic, record.headers(), record.value());
    } catch (SerializationException e) {
      toDlq(record, TickRules.UNREADABLE, String.valueOf(e.getMessage()));
      return;
    }
    // keys are UTF-8 symbols, as the producers' StringSerializer writes them
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    Optional<TickRules.Rejection> rejection = TickRules.check(key, tick);
    if (rejection.isPresent()) {
      toDlq(record, rejection.get().reason(), rejection.get().detail());
    } else {
      buffer.add(tick);
    }
  }

  private void toDlq(Record<byte[], byte[]> record, String reason, String detail) {
    context.forward(
        record.withHeaders(
            DeadLetters.stamped(record.headers(), QuoteSettings.APP, reason, detail)),
        dlqNode);
  }
}
