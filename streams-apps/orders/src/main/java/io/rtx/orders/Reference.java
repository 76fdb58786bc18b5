package io.rtx.orders;

import io.rtx.common.GenericRows;
import org.apache.avro.generic.GenericRecord;

/** Reference rows as Debezium writes them ({@code ref.*}, the row image), read into our records. */
final class Reference {

  private Reference() {}

  static AccountRef account(GenericRecord r) {
    return new AccountRef(
        GenericRows.text(r, "account_id"),
        GenericRows.text(r, "kind"),
        GenericRows.text(r, "currency"),
        GenericRows.decimal(r, "leverage"),
        GenericRows.text(r, "status"),
        GenericRows.decimal(r, "max_order_quantity"),
        GenericRows.decimal(r, "max_position_quantity"),
        GenericRows.integer(r, "max_orders_per_second"));
  }

  static InstrumentRef instrument(GenericRecord r) {
    return new InstrumentRef(
        GenericRows.text(r, "symbol"),
        GenericRows.text(r, "quote_currency"),
        GenericRows.decimal(r, "tick_size"),
        GenericRows.decimal(r, "lot_size"),
        GenericRows.decimal(r, "min_quantity"),
        GenericRows.decimal(r, "max_quantity"),
        GenericRows.decimal(r, "contract_size"),
        GenericRows.decimal(r, "margin_rate"),
        GenericRows.decimal(r, "price_band_pct"),
        GenericRows.text(r, "status"));
  }

  static int currencyDecimals(GenericRecord r) {
    return GenericRows.integer(r, "decimals");
  }

  /** A transactions.ledger change event: the row after (inserts are all the ledger has). */
  static LedgerEvent ledger(GenericRecord event) {
    GenericRecord row = (GenericRecord) event.get("after");
    if (row == null) {
      return null;
    }
    GenericRecord source = (GenericRecord) event.get("source");
    return new LedgerEvent(
        GenericRows.text(row, "entry_id"),
        GenericRows.text(row, "account_id"),
        GenericRows.text(row, "currency"),
        GenericRows.decimal(row, "amount"),
        GenericRows.longValue(source, "lsn"));
  }
}
