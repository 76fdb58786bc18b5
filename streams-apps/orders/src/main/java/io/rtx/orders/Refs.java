package io.rtx.orders;

import io.rtx.schemas.Tick;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/** The reference data and quotes every instance holds (global stores), as processors read them. */
final class Refs {

  private final KeyValueStore<String, AccountRef> accounts;

  /** House account of each currency, found once by a scan of the accounts. */
  private final java.util.Map<String, String> houses = new java.util.HashMap<>();

  private final KeyValueStore<String, InstrumentRef> instruments;
  private final KeyValueStore<String, Integer> currencies;
  private final Prices prices;

  Refs(ProcessorContext<?, ?> context) {
    this.accounts = context.getStateStore(StoreNames.ACCOUNTS_REF);
    this.instruments = context.getStateStore(StoreNames.INSTRUMENTS_REF);
    this.currencies = context.getStateStore(StoreNames.CURRENCIES_REF);
    TimestampedKeyValueStore<String, Tick> quotes = context.getStateStore(StoreNames.QUOTES);
    this.prices =
        new Prices(
            symbol -> {
              ValueAndTimestamp<Tick> q = quotes.get(symbol);
              return q == null ? null : q.value();
            });
  }

  AccountRef account(String id) {
    return accounts.get(id);
  }

  /** The house account that takes the other side of client entries in {@code currency}. */
  String house(String currency) {
    String house = houses.get(currency);
    if (house == null) {
      try (var it = accounts.all()) {
        it.forEachRemaining(
            kv -> {
              if (kv.value.house()) {
                houses.put(kv.value.currency(), kv.key);
              }
            });
      }
      house = houses.get(currency);
    }
    return house;
  }

  InstrumentRef instrument(String symbol) {
    return instruments.get(symbol);
  }

  /** Decimals of {@code currency}; null when unknown. */
  Integer decimals(String currency) {
    return currencies.get(currency);
  }

  Prices prices() {
    return prices;
  }
}
