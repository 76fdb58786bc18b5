package io.rtx.ledgersink;

import static io.rtx.ledgersink.LedgerRecords.leg;
import static io.rtx.ledgersink.LedgerRecords.raw;
import static io.rtx.ledgersink.LedgerRecords.transaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.ledgersink.LedgerBooking.Leg;
import io.rtx.schemas.LedgerEntryKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** A LedgerTransaction record, as the worker's converter hands it over, to the ledger's rows. */
class LedgerBookingTest {

  private final LedgerRecords records = new LedgerRecords();

  @Test
  void everyLegBecomesARowWithExactValues() {
    SinkRecord record =
        records.record(
            transaction(
                "FILL-42",
                "EXEC-42",
                leg(
                    "FILL-42:pnl",
                    "ACC-0001",
                    "USD",
                    "123456789012.12345678",
                    LedgerEntryKind.TRADE),
                leg("FILL-42:fee", "ACC-0001", "USD", "-0.00000001", LedgerEntryKind.FEE),
                leg(
                    "FILL-42:house",
                    "HOUSE-USD",
                    "USD",
                    "-123456789012.12345677",
                    LedgerEntryKind.TRADE)),
            3,
            17);

    LedgerBooking booking = LedgerBooking.of(record);

    assertThat(booking.record()).isSameAs(record);
    assertThat(booking.transactionId()).isEqualTo("FILL-42");
    assertThat(booking.reference()).isEqualTo("EXEC-42");
    assertThat(booking.createdAt()).isEqualTo(Instant.parse("2026-12-02T09:17:25.050Z"));
    assertThat(booking.legs())
        .containsExactly(
            new Leg(
                "FILL-42:pnl", "ACC-0001", "USD", new BigDecimal("123456789012.12345678"), "TRADE"),
            new Leg("FILL-42:fee", "ACC-0001", "USD", new BigDecimal("-0.00000001"), "FEE"),
            new Leg(
                "FILL-42:house",
                "HOUSE-USD",
                "USD",
                new BigDecimal("-123456789012.12345677"),
                "TRADE"));
  }

  @Test
  void aTransactionWithoutReferenceHasNone() {
    SinkRecord record =
        records.record(
            transaction(
                "T-1",
                null,
                leg("T-1:1", "A", "EUR", "1", LedgerEntryKind.ADJUSTMENT),
                leg("T-1:2", "H", "EUR", "-1", LedgerEntryKind.ADJUSTMENT)),
            0,
            0);
    assertThat(LedgerBooking.of(record).reference()).isNull();
  }

  @Test
  void theDatabaseNotTheMappingJudgesBalanceAccountsAndCurrencies() {
    // Unbalanced, unknown account, wrong currency: the ledger's triggers refuse those, not this.
    SinkRecord record =
        records.record(
            transaction("T-2", null, leg("T-2:1", "NOBODY", "XXX", "5", LedgerEntryKind.DEPOSIT)),
            0,
            1);
    assertThat(LedgerBooking.of(record).legs()).hasSize(1);
  }

  @Test
  void aTombstoneIsNoLedgerTransaction() {
    assertThatThrownBy(() -> LedgerBooking.of(raw(null, null, 0, 5)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("tombstone");
  }

  @Test
  void aValueThatIsNotAStructIsNoLedgerTransaction() {
    assertThatThrownBy(() -> LedgerBooking.of(raw(Schema.STRING_SCHEMA, "{\"legs\":[]}", 0, 5)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("not a LedgerTransaction");
  }

  @Test
  void aStructOfAnotherSchemaIsNoLedgerTransaction() {
    Schema tick =
        SchemaBuilder.struct()
            .name("io.rtx.schemas.Tick")
            .field("symbol", Schema.STRING_SCHEMA)
            .build();
    assertThatThrownBy(
            () -> LedgerBooking.of(raw(tick, new Struct(tick).put("symbol", "EURUSD"), 0, 5)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("no field transaction_id");
  }

  @Test
  void missingNullOrMistypedFieldsAreNamed() {
    assertThatThrownBy(() -> LedgerBooking.of(value(handStruct().put("legs", List.of()))))
        .hasMessageContaining("has no legs");
    assertThatThrownBy(
            () ->
                LedgerBooking.of(
                    value(handStruct().put("legs", List.of(handLeg().put("currency", null))))))
        .hasMessageContaining("legs[0].currency is null");
    Schema noKind = SchemaBuilder.struct().field("entry_id", Schema.STRING_SCHEMA).build();
    assertThatThrownBy(
            () ->
                LedgerBooking.of(
                    value(
                        handStruct(noKind)
                            .put("legs", List.of(new Struct(noKind).put("entry_id", "E"))))))
        .hasMessageContaining("no field legs[0].account_id");
    Schema createdAtAsText =
        SchemaBuilder.struct()
            .field("transaction_id", Schema.STRING_SCHEMA)
            .field("reference", Schema.OPTIONAL_STRING_SCHEMA)
            .field("created_at", Schema.STRING_SCHEMA)
            .build();
    assertThatThrownBy(
            () ->
                LedgerBooking.of(
                    raw(
                        createdAtAsText,
                        new Struct(createdAtAsText)
                            .put("transaction_id", "T")
                            .put("created_at", "2026-12-02T09:17:25Z"),
                        0,
                        1)))
        .hasMessageContaining("created_at is a java.lang.String, expected a Date");
  }

  @Test
  void anEntryIdTwiceInOneTransactionIsRefused() {
    SinkRecord record =
        records.record(
            transaction(
                "T-3",
                null,
                leg("T-3:1", "A", "EUR", "1", LedgerEntryKind.TRADE),
                leg("T-3:1", "H", "EUR", "-1", LedgerEntryKind.TRADE)),
            0,
            2);
    assertThatThrownBy(() -> LedgerBooking.of(record))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("entry_id T-3:1 appears twice");
  }

  @Test
  void anAmountWithMoreDecimalsThanTheColumnIsRefusedNotRounded() {
    Schema legSchema = legSchema(Decimal.schema(10));
    Struct tooFine = handLeg(legSchema).put("amount", new BigDecimal("0.0000000001"));
    assertThatThrownBy(
            () -> LedgerBooking.of(value(handStruct(legSchema).put("legs", List.of(tooFine)))))
        .hasMessageContaining("amount 0.0000000001 has more than 8 decimals");
    // Trailing zeros beyond the eighth place change nothing: accepted.
    Struct zeros = handLeg(legSchema).put("amount", new BigDecimal("1.5000000000"));
    assertThat(LedgerBooking.of(value(handStruct(legSchema).put("legs", List.of(zeros)))).legs())
        .singleElement()
        .extracting(Leg::amount)
        .isEqualTo(new BigDecimal("1.5000000000"));
  }

  // A hand-made LedgerTransaction Struct, for shapes the Avro schema itself would not allow.

  private static final Schema LEG = legSchema(Decimal.schema(8));

  private static Schema legSchema(Schema amount) {
    return SchemaBuilder.struct()
        .name("io.rtx.schemas.LedgerLeg")
        .field("entry_id", Schema.STRING_SCHEMA)
        .field("account_id", Schema.STRING_SCHEMA)
        .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
        .field("amount", amount)
        .field("kind", Schema.STRING_SCHEMA)
        .build();
  }

  private static Schema schema(Schema leg) {
    return SchemaBuilder.struct()
        .name("io.rtx.schemas.LedgerTransaction")
        .field("transaction_id", Schema.STRING_SCHEMA)
        .field("reference", Schema.OPTIONAL_STRING_SCHEMA)
        .field("created_at", Timestamp.SCHEMA)
        .field("legs", SchemaBuilder.array(leg).build())
        .build();
  }

  private static Struct handLeg() {
    return handLeg(LEG);
  }

  private static Struct handLeg(Schema schema) {
    return new Struct(schema)
        .put("entry_id", "E-1")
        .put("account_id", "A")
        .put("currency", "EUR")
        .put("kind", "TRADE")
        .put("amount", BigDecimal.ONE.setScale(scale(schema.field("amount").schema())));
  }

  private static int scale(Schema decimal) {
    return Integer.parseInt(decimal.parameters().get(Decimal.SCALE_FIELD));
  }

  private static Struct handStruct() {
    return handStruct(LEG);
  }

  private static Struct handStruct(Schema leg) {
    return new Struct(schema(leg))
        .put("transaction_id", "T")
        .put("created_at", Date.from(Instant.parse("2026-12-02T09:17:25Z")));
  }

  private static SinkRecord value(Struct s) {
    return raw(s.schema(), s, 0, 9);
  }
}
