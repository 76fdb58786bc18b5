package io.rtx.quotes;

import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads each tick from its bytes, sends unreadable or invalid ones to the DLQ as received, and buffers
 * the rest for the quote sink, flushed by batch size, by wall-clock interval and before every commit.
 */
final class QuoteProcessor implements Processor<byte[], byte[], byte[], byte[]> {

  static final String REASON_HEADER = "rtx.error.reason";
  static final String DETAIL_HEADER = "rtx.error.detail";
  static final String APP_HEADER = "rtx.error.app";
  static final String APP = "quotes";

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
    context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> buffer.publishPending());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Tick tick;
    try {
      String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(Topics.MARKET_TICKS.name());
      tick = ticks.deserialize(topic, record.headers(), record.value());
    } catch (SerializationException e) {
      toDlq(record, TickRules.UNREADABLE, String.valueOf(e.getMessage()));
      return;
    }
    Optional<TickRules.Violation> violation = TickRules.check(tick);
    if (violation.isPresent()) {
      toDlq(record, violation.get().reason(), violation.get().detail());
    } else {
      buffer.add(tick);
    }
  }

  private void toDlq(Record<byte[], byte[]> record, String reason, String detail) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    set(headers, REASON_HEADER, reason);
    set(headers, DETAIL_HEADER, detail);
    set(headers, APP_HEADER, APP);
    context.forward(record.withHeaders(headers), dlqNode);
  }

  private static void set(Headers headers, String key, String value) {
    headers.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
