package io.rtx.schemas;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Apicurio's datum provider, minus a schema fingerprint per record. The default provider caches its
 * readers and writers by the schema's parsing fingerprint, which it computes again for every
 * record: canonical form, then a 64-bit hash of it, about a fifth of the candle app's CPU in a
 * profile (README, "Performance"). A topic's records come with the same schema instance (the
 * registry client caches schemas by id, and generated classes have one), so the last schema seen
 * and its reader or writer are remembered, compared by identity, and the default's cache serves any
 * other.
 */
public final class RememberingDatumProvider<T> extends DefaultAvroDatumProvider<T> {

  private record Reader<T>(Schema schema, DatumReader<T> reader) {}

  private record Writer<T>(Schema schema, boolean specific, DatumWriter<T> writer) {}

  private volatile Reader<T> lastReader;
  private volatile Writer<T> lastWriter;

  @Override
  public DatumReader<T> createDatumReader(Schema schema) {
    Reader<T> last = lastReader;
    if (last != null && last.schema() == schema) {
      return last.reader();
    }
    DatumReader<T> reader = super.createDatumReader(schema);
    lastReader = new Reader<>(schema, reader);
    return reader;
  }

  @Override
  public DatumWriter<T> createDatumWriter(T data, Schema schema) {
    boolean specific = data instanceof SpecificRecord;
    Writer<T> last = lastWriter;
    if (last != null && last.schema() == schema && last.specific() == specific) {
      return last.writer();
    }
    DatumWriter<T> writer = super.createDatumWriter(data, schema);
    lastWriter = new Writer<>(schema, specific, writer);
    return writer;
  }
}
