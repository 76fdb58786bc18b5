package io.rtx.tools;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A simulated instrument. Prices are kept as whole ticks (scaled longs) so the walk is exact; a
 * price in ticks {@code p} is {@code p * 10^-decimals}.
 */
public record Instrument(
    String symbol, int decimals, long startTicks, int spreadTicks, double volatilityTicks) {

  private static final Map<String, Instrument> KNOWN =
      Map.ofEntries(
          Map.entry("EURUSD", new Instrument("EURUSD", 5, 108_412, 2, 3)),
          Map.entry("GBPUSD", new Instrument("GBPUSD", 5, 127_045, 3, 4)),
          Map.entry("USDJPY", new Instrument("USDJPY", 3, 150_112, 2, 4)),
          Map.entry("AUDUSD", new Instrument("AUDUSD", 5, 65_871, 2, 3)),
          Map.entry("USDCHF", new Instrument("USDCHF", 5, 88_214, 3, 3)),
          Map.entry("USDCAD", new Instrument("USDCAD", 5, 136_220, 3, 3)),
          Map.entry("NZDUSD", new Instrument("NZDUSD", 5, 59_740, 3, 3)),
          Map.entry("EURGBP", new Instrument("EURGBP", 5, 85_330, 3, 2)),
          Map.entry("EURJPY", new Instrument("EURJPY", 3, 162_740, 3, 5)),
          Map.entry("XAUUSD", new Instrument("XAUUSD", 2, 203_512, 30, 40)),
          Map.entry("BTCUSD", new Instrument("BTCUSD", 2, 6_001_250, 500, 900)));

  /**
   * {@code "EURUSD,GBPUSD"} picks known instruments (or makes up an unknown name); {@code "50"}
   * makes 50.
   */
  public static List<Instrument> parse(String spec) {
    List<Instrument> out = new ArrayList<>();
    if (spec.matches("\\d+")) {
      int n = Integer.parseInt(spec);
      List<String> known = KNOWN.keySet().stream().sorted().toList();
      for (int i = 0; i < n; i++) {
        out.add(
            i < known.size()
                ? KNOWN.get(known.get(i))
                : new Instrument(String.format("SIM%04d", i), 4, 1_000_000 + 1_000L * i, 2, 3));
      }
      return out;
    }
    for (String s : spec.split(",")) {
      String symbol = s.trim().toUpperCase(java.util.Locale.ROOT);
      out.add(KNOWN.getOrDefault(symbol, new Instrument(symbol, 4, 1_000_000, 2, 3)));
    }
    return out;
  }

  /** Every instrument the simulator knows by name, by symbol. */
  public static List<Instrument> known() {
    return KNOWN.values().stream()
        .sorted(java.util.Comparator.comparing(Instrument::symbol))
        .toList();
  }

  public BigDecimal price(long ticks) {
    return BigDecimal.valueOf(ticks, decimals).setScale(8);
  }
}
