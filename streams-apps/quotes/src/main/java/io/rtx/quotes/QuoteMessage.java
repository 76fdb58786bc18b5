package io.rtx.quotes;

import io.rtx.common.Json;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The message published on {@code quotes:SYMBOL} for every applied tick: one line of JSON, e.g.
 *
 * <pre>
 * {"symbol":"EURUSD","bid":"1.08450000","ask":"1.08460000","ts":1764115200123,"seq":42,"bid_size":"1000000.00000000","ask_size":"500000.00000000"}
 * </pre>
 *
 * Decimals are strings ({@link BigDecimal#toPlainString()}, scale 8) so no client rounds them
 * through a double; {@code ts} is epoch milliseconds; {@code bid_size}/{@code ask_size} are left
 * out when the tick has none. The same strings are stored in the hash {@code quote:SYMBOL}.
 */
public final class QuoteMessage {

  private QuoteMessage() {}

  public static String json(Tick tick) {
    StringBuilder json =
        new StringBuilder(160).append("{\"symbol\":").append(Json.string(tick.getSymbol()));
    json.append(",\"bid\":\"")
        .append(tick.getBid().toPlainString())
        .append("\",\"ask\":\"")
        .append(tick.getAsk().toPlainString())
        .append("\",\"ts\":")
        .append(tick.getTs().toEpochMilli())
        .append(",\"seq\":")
        .append(tick.getSeq());
    if (tick.getBidSize() != null) {
      json.append(",\"bid_size\":\"").append(tick.getBidSize().toPlainString()).append('"');
    }
    if (tick.getAskSize() != null) {
      json.append(",\"ask_size\":\"").append(tick.getAskSize().toPlainString()).append('"');
    }
    return json.append('}').toString();
  }

  /**
   * The same message built from the hash {@code quote:SYMBOL} as {@link QuoteCache} stores it: for
   * a quote written from a tick, equal to {@link #json(Tick)} of that tick, character for character
   * (the hash holds the same strings).
   */
  public static String json(String symbol, Map<String, String> hash) {
    StringBuilder json = new StringBuilder(160).append("{\"symbol\":").append(Json.string(symbol));
    json.append(",\"bid\":")
        .append(Json.string(hash.get("bid")))
        .append(",\"ask\":")
        .append(Json.string(hash.get("ask")))
        .append(",\"ts\":")
        .append(Long.parseLong(hash.get("ts")))
        .append(",\"seq\":")
        .append(Long.parseLong(hash.get("seq")));
    if (hash.containsKey("bid_size")) {
      json.append(",\"bid_size\":").append(Json.string(hash.get("bid_size")));
    }
    if (hash.containsKey("ask_size")) {
      json.append(",\"ask_size\":").append(Json.string(hash.get("ask_size")));
    }
    return json.append('}').toString();
  }
}
