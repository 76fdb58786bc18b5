package io.rtx.candles;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rtx.schemas.Candle;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A candle as {@code GET /candles} answers it, through the shared mapper: snake_case keys, prices
 * and volume as plain decimal strings, {@code bucket_start} ISO-8601, {@code final} as a boolean.
 */
record CandleJson(
    String symbol,
    String interval,
    Instant bucketStart,
    BigDecimal open,
    BigDecimal high,
    BigDecimal low,
    BigDecimal close,
    BigDecimal volume,
    long tickCount,
    @JsonProperty("final") boolean isFinal) {

  static CandleJson of(Candle c) {
    return new CandleJson(
        c.getSymbol(),
        c.getInterval(),
        c.getBucketStart(),
        c.getOpen(),
        c.getHigh(),
        c.getLow(),
        c.getClose(),
        c.getVolume(),
        c.getTickCount(),
        c.getIsFinal());
  }
}
