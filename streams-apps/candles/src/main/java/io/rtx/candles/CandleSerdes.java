package io.rtx.candles;

import io.rtx.schemas.Candle;
import io.rtx.schemas.Tick;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Serdes of the topics others read: registry serdes in production, {@code AvroBinarySerde} in
 * tests. Internal state (stores, the repartition topic) uses {@link OpenCandleSerde}.
 */
public record CandleSerdes(Serde<Tick> tick, Serde<Candle> candle) {

  public CandleSerdes {
    Objects.requireNonNull(tick, "tick");
    Objects.requireNonNull(candle, "candle");
  }
}
