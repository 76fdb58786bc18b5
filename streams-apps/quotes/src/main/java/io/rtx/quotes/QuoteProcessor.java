package io.rtx.quotes;

import io.rtx.common.DeadLetters;
import io.rtx.common.TickRules;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;

/**
 * Reads each tick from its bytes, sends unreadable or invalid ones to the DLQ as received, and
 * buffers the rest for the quote sink, flushed by batch size, by wall-clock interval and before
 * every commit. Each flush also sends the newest tick of each symbol to market.quotes (never one
 * older than a tick already sent, see {@link SentQuotes}).
 */
final class QuoteProcessor implements Processor<byte[], byte[], byte[], byte[]> {

  private final Serde<Tick> ticks;
  private final Duration flushInterval;
  private final String dlqNode;
  private final String quotesNode;
  private final SentQuotes sent;
  private ProcessorContext<byte[], byte[]> context;
  private InternalProcessorContext<byte[], byte[]> internal;
  private ProcessorNode<?, ?, ?, ?> self;
  private QuoteBuffer buffer;

  QuoteProcessor(
      Serde<Tick> ticks,
      Duration flushInterval,
      String dlqNode,
      String quotesNode,
      SentQuotes sent) {
    this.ticks = ticks;
    this.flushInterval = flushInterval;
    this.dlqNode = dlqNode;
    this.quotesNode = quotesNode;
    this.sent = sent;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.internal = (InternalProcessorContext<byte[], byte[]>) context;
    this.self = internal.currentNode(); // init runs with this processor as the current node
    this.buffer = context.getStateStore(QuoteBuffer.NAME);
    buffer.attach(this::toQuotesTopic);
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
      tick = ticks.deserializer().deserialize(topic, record.headers(), record.value());
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

  /**
   * Sends the newest ticks of a flush to market.quotes, keyed by symbol, stamped with the wall
   * clock (a tick's own ts may be far enough ahead for the broker to refuse it).
   *
   * <p>The flush before a commit runs outside any processor, where {@code forward} refuses to run,
   * so this enters the processor's node itself, as Kafka's caching stores do when they forward on
   * flush ({@code TimestampedCacheFlushListener}); {@code QuoteTopologyTest} pins that path.
   */
  private void toQuotesTopic(List<Tick> newest) {
    ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
    ProcessorRecordContext previousRecord = internal.recordContext();
    long now = context.currentSystemTimeMs();
    internal.setCurrentNode(self);
    if (previousRecord == null) {
      internal.setRecordContext(new ProcessorRecordContext(now, -1, -1, null, new RecordHeaders()));
    }
    try {
      String topic = Topics.MARKET_QUOTES.name();
      for (Tick tick : newest) {
        if (sent.admit(tick)) {
          context.forward(
              new Record<>(
                  tick.getSymbol().getBytes(StandardCharsets.UTF_8),
                  ticks.serializer().serialize(topic, tick),
                  now,
                  new RecordHeaders()),
              quotesNode);
        }
      }
    } finally {
      internal.setCurrentNode(previousNode);
      internal.setRecordContext(previousRecord);
    }
  }

  private void toDlq(Record<byte[], byte[]> record, String reason, String detail) {
    context.forward(
        record.withHeaders(
            DeadLetters.deadLetter(record.headers(), QuoteSettings.APP, reason, detail)),
        dlqNode);
  }
}
