package io.rtx.ledgersink;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.LedgerEntryKind;
import io.rtx.schemas.LedgerLeg;
import io.rtx.schemas.LedgerTransaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * LedgerTransaction records as the sink receives them: the project's Avro class, written as Avro
 * binary, read back without the generated class and turned into a Connect Struct by the Apicurio
 * converter's {@link AvroData}, which is what the worker's value converter does.
 */
final class LedgerRecords {

  static final String TOPIC = "ledger.entries";

  private final AvroData avroData = new AvroData(new AvroDataConfig(Map.of()));

  static LedgerLeg leg(
      String entryId, String account, String currency, String amount, LedgerEntryKind kind) {
    return LedgerLeg.newBuilder()
        .setEntryId(entryId)
        .setAccountId(account)
        .setCurrency(currency)
        .setAmount(Decimals.of(amount))
        .setKind(kind)
        .build();
  }

  static LedgerTransaction transaction(String id, String reference, LedgerLeg... legs) {
    return LedgerTransaction.newBuilder()
        .setTransactionId(id)
        .setReference(reference)
        .setCreatedAt(Instant.parse("2026-12-02T09:17:25.050Z"))
        .setLegs(List.of(legs))
        .build();
  }

  /**
   * A client's trade booked against the house: {@code id:1} on the client, {@code id:2} opposite.
   */
  static LedgerTransaction trade(
      String id, String client, String house, String currency, String amount) {
    String opposite = amount.startsWith("-") ? amount.substring(1) : "-" + amount;
    return transaction(
        id,
        "EXEC-" + id,
        leg(id + ":1", client, currency, amount, LedgerEntryKind.TRADE),
        leg(id + ":2", house, currency, opposite, LedgerEntryKind.TRADE));
  }

  /** The Struct the worker's converter makes of {@code tx}, keyed by the first leg's account. */
  SinkRecord record(LedgerTransaction tx, int partition, long offset) {
    SchemaAndValue value = avroData.toConnectData(tx.getSchema(), generic(tx));
    return new SinkRecord(
        TOPIC,
        partition,
        Schema.STRING_SCHEMA,
        tx.getLegs().get(0).getAccountId(),
        value.schema(),
        value.value(),
        offset);
  }

  /** A record with any value (a tombstone, a foreign schema). */
  static SinkRecord raw(Schema schema, Object value, int partition, long offset) {
    return new SinkRecord(TOPIC, partition, Schema.STRING_SCHEMA, "ACC", schema, value, offset);
  }

  /** What the deserializer hands the converter: a generic record, decimals still as bytes. */
  private static GenericRecord generic(LedgerTransaction tx) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<LedgerTransaction>(LedgerTransaction.class).write(tx, encoder);
      encoder.flush();
      return new GenericDatumReader<GenericRecord>(tx.getSchema())
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
