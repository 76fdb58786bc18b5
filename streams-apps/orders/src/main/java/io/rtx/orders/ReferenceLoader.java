package io.rtx.orders;

import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a Debezium reference topic into a global store of our records: every instance holds all
 * accounts, instruments and currencies. It also runs when the store is restored, so the store's
 * format is ours, not the topic's. A row it cannot read is logged and skipped (the topic is the
 * database's, not an upstream's; a bad row there is ours to fix, not to crash on).
 */
final class ReferenceLoader<V> implements Processor<byte[], byte[], Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(ReferenceLoader.class);

  private final String storeName;
  private final Deserializer<Object> keys;
  private final Deserializer<Object> values;
  private final Function<GenericRecord, V> read;
  private final Indexer<V> index;
  private KeyValueStore<String, V> store;
  private ProcessorContext<Void, Void> context;

  /** Extra bookkeeping on each row (the house account of each currency). */
  interface Indexer<V> {
    void accept(ProcessorContext<Void, Void> context, String key, V value);
  }

  ReferenceLoader(
      String storeName,
      Deserializer<Object> keys,
      Deserializer<Object> values,
      Function<GenericRecord, V> read,
      Indexer<V> index) {
    this.storeName = storeName;
    this.keys = keys;
    this.values = values;
    this.read = read;
    this.index = index;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    try {
      Object key =
          keys.deserialize(context.recordMetadata().map(m -> m.topic()).orElse(""), record.key());
      if (key == null) {
        return;
      }
      String id = key.toString();
      if (record.value() == null) {
        store.delete(id);
        return;
      }
      Object row =
          values.deserialize(
              context.recordMetadata().map(m -> m.topic()).orElse(""), record.value());
      V value = read.apply((GenericRecord) row);
      store.put(id, value);
      if (index != null) {
        index.accept(context, id, value);
      }
    } catch (RuntimeException e) {
      log.error("skipping an unreadable reference row for {}: {}", storeName, e.toString());
    }
  }
}
