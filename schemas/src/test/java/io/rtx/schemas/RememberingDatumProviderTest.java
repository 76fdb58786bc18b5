package io.rtx.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class RememberingDatumProviderTest {

  private static Tick tick() {
    return Tick.newBuilder()
        .setSymbol("EURUSD")
        .setSeq(7)
        .setTs(Instant.parse("2026-11-26T09:30:00.123Z"))
        .setBid(new BigDecimal("1.08001000"))
        .setAsk(new BigDecimal("1.08003000"))
        .setVenue("SIM")
        .build();
  }

  @Test
  void theSameSchemaInstanceGetsTheSameReaderAndWriter() {
    RememberingDatumProvider<Tick> provider = new RememberingDatumProvider<>();
    provider.setUseSpecificAvroReader(true);
    assertThat(provider.createDatumReader(Tick.SCHEMA$))
        .isSameAs(provider.createDatumReader(Tick.SCHEMA$));
    assertThat(provider.createDatumWriter(tick(), Tick.SCHEMA$))
        .isSameAs(provider.createDatumWriter(tick(), Tick.SCHEMA$));
  }

  @Test
  void anotherSchemaInstanceIsReadWithItsOwnReader() throws Exception {
    RememberingDatumProvider<Tick> provider = new RememberingDatumProvider<>();
    provider.setUseSpecificAvroReader(true);
    provider.createDatumReader(Tick.SCHEMA$);

    // the writer's schema as a registry would hand it out: equal content, another instance
    Schema fetched = new Schema.Parser().parse(Tick.SCHEMA$.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    provider.createDatumWriter(tick(), Tick.SCHEMA$).write(tick(), encoder);
    encoder.flush();
    DatumReader<Tick> reader = provider.createDatumReader(fetched);
    Tick read = reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    assertThat(read).isEqualTo(tick());
    assertThat(provider.createDatumReader(fetched)).isSameAs(reader);
  }
}
