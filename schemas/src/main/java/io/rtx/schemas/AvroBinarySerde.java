package io.rtx.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plain Avro binary of one generated class, without a registry: for state stores and topology unit
 * tests, where writer and reader are the same build. Topics that others read use {@link
 * RegistrySerdes}.
 */
public final class AvroBinarySerde<T extends SpecificRecord> implements Serde<T> {

  private final SpecificDatumWriter<T> writer;
  private final SpecificDatumReader<T> reader;

  public AvroBinarySerde(Class<T> type) {
    var schema = SpecificData.get().getSchema(type);
    this.writer = new SpecificDatumWriter<>(schema);
    this.reader = new SpecificDatumReader<>(schema);
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(value, encoder);
        encoder.flush();
        return out.toByteArray();
      } catch (IOException | RuntimeException e) {
        throw new SerializationException(
            "cannot write " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      try {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, null);
        return reader.read(null, decoder);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException(
            "cannot read Avro record from " + topic + ": " + e.getMessage(), e);
      }
    };
  }
}
