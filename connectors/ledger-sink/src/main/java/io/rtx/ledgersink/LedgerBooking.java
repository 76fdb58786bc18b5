package io.rtx.ledgersink;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One {@code LedgerTransaction} record (schemas/src/main/avro/LedgerTransaction.avsc) as the rows
 * it books: one per leg, all in one database transaction.
 *
 * @param record the record it came from, for the errant record reporter and messages
 * @param reference null when the record has none
 */
record LedgerBooking(
    SinkRecord record, String transactionId, String reference, Instant createdAt, List<Leg> legs) {

  /** The ledger's amount column is numeric(28, 8): more decimals would be rounded, not refused. */
  static final int AMOUNT_SCALE = 8;

  /** One row of the ledger. */
  record Leg(String entryId, String accountId, String currency, BigDecimal amount, String kind) {}

  LedgerBooking {
    legs = List.copyOf(legs);
  }

  /**
   * The booking a record carries.
   *
   * @throws DataException when the value is not a LedgerTransaction: null (a tombstone), not a
   *     Struct, a field missing, null or of another type, no legs, an entry id twice, an amount
   *     with more than {@value #AMOUNT_SCALE} decimals
   */
  static LedgerBooking of(SinkRecord record) {
    if (record.value() == null) {
      throw new DataException("null value (a tombstone), not a LedgerTransaction");
    }
    if (!(record.value() instanceof Struct value)) {
      throw new DataException(
          "value is a "
              + record.value().getClass().getName()
              + ", not a LedgerTransaction Struct (the sink needs the Avro converter)");
    }
    String transactionId = required(value, "transaction_id", String.class, "");
    String reference = optional(value, "reference", String.class);
    Instant createdAt = required(value, "created_at", Date.class, "").toInstant();
    List<?> rawLegs = required(value, "legs", List.class, "");
    if (rawLegs.isEmpty()) {
      throw new DataException("transaction " + transactionId + " has no legs");
    }
    List<Leg> legs = new ArrayList<>(rawLegs.size());
    Set<String> entryIds = new HashSet<>();
    for (int i = 0; i < rawLegs.size(); i++) {
      String where = "legs[" + i + "].";
      if (!(rawLegs.get(i) instanceof Struct leg)) {
        throw new DataException(where.substring(0, where.length() - 1) + " is not a Struct");
      }
      Leg l =
          new Leg(
              required(leg, "entry_id", String.class, where),
              required(leg, "account_id", String.class, where),
              required(leg, "currency", String.class, where),
              required(leg, "amount", BigDecimal.class, where),
              required(leg, "kind", String.class, where));
      if (l.amount().stripTrailingZeros().scale() > AMOUNT_SCALE) {
        throw new DataException(
            where
                + "amount "
                + l.amount().toPlainString()
                + " has more than "
                + AMOUNT_SCALE
                + " decimals");
      }
      if (!entryIds.add(l.entryId())) {
        throw new DataException(
            "entry_id " + l.entryId() + " appears twice in transaction " + transactionId);
      }
      legs.add(l);
    }
    return new LedgerBooking(record, transactionId, reference, createdAt, legs);
  }

  private static <T> T required(Struct s, String name, Class<T> type, String where) {
    T v = optional(s, name, type, where);
    if (v == null) {
      throw new DataException(where + name + " is null");
    }
    return v;
  }

  private static <T> T optional(Struct s, String name, Class<T> type) {
    return optional(s, name, type, "");
  }

  private static <T> T optional(Struct s, String name, Class<T> type, String where) {
    Field field = s.schema().field(name);
    if (field == null) {
      throw new DataException("no field " + where + name + ": not a LedgerTransaction");
    }
    Object v = s.get(field);
    if (v != null && !type.isInstance(v)) {
      throw new DataException(
          where
              + name
              + " is a "
              + v.getClass().getName()
              + ", expected a "
              + type.getSimpleName());
    }
    return type.cast(v);
  }
}
