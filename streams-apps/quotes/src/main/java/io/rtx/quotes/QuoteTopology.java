package io.rtx.quotes;

import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.Topology;

/**
 * market.ticks → read and validate → buffer → {@link QuoteSink} (Redis) and market.quotes (the
 * newest tick per symbol at each flush), invalid ticks → market.ticks.dlq.
 *
 * <p>The source reads bytes so that a tick that cannot be read still reaches the DLQ as received.
 */
public final class QuoteTopology {

  static final String SOURCE = "market-ticks";
  static final String PROCESSOR = "publish-quotes";
  static final String DLQ = "market-ticks-dlq";
  static final String QUOTES = "market-quotes";

  private QuoteTopology() {}

  /**
   * @param tickSerde configured serde of market.ticks and market.quotes values (the registry serde
   *     in production)
   * @param sink where valid ticks go; shared by all tasks and threads, owned and closed by the
   *     caller after the Streams instance is closed
   */
  public static Topology build(QuoteSettings settings, Serde<Tick> tickSerde, QuoteSink sink) {
    Topology topology = new Topology();
    topology.addSource(
        SOURCE,
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        Topics.MARKET_TICKS.name());
    SentQuotes sent = new SentQuotes(); // one per instance: see its comment
    topology.addProcessor(
        PROCESSOR,
        () -> new QuoteProcessor(tickSerde, settings.flushInterval(), DLQ, QUOTES, sent),
        SOURCE);
    topology.addStateStore(new QuoteBuffer.Builder(sink, settings.batchSize()), PROCESSOR);
    topology.addSink(
        DLQ,
        Topics.MARKET_TICKS_DLQ.name(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        PROCESSOR);
    topology.addSink(
        QUOTES,
        Topics.MARKET_QUOTES.name(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        PROCESSOR);
    return topology;
  }
}
