package io.rtx.tools;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
   * A symbol as the system of record takes one ({@code instruments.instruments}'s check): upper
   * case letters and digits, then also {@code . _ -}, 32 at most.
   */
  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9._-]{0,31}");

  /** The most instruments a count may make up. */
  static final int MAX_COUNT = 10_000;

  /**
   * {@code "EURUSD,GBPUSD"} picks known instruments (or makes up an unknown name); {@code "50"}
   * makes 50.
   *
   * @throws IllegalArgumentException for an empty, malformed or repeated symbol (a feed of one
   *     symbol twice would send two walks under one key), or a count outside 1..{@value MAX_COUNT}
   */
  public static List<Instrument> parse(String spec) {
    List<Instrument> out = new ArrayList<>();
    String text = spec.strip();
    if (text.matches("\\d+")) {
      BigInteger count = new BigInteger(text);
      if (count.signum() < 1 || count.compareTo(BigInteger.valueOf(MAX_COUNT)) > 0) {
        throw new IllegalArgumentException(
            "a count of instruments must be 1.." + MAX_COUNT + ", got " + text);
      }
      int n = count.intValue();
      List<String> known = KNOWN.keySet().stream().sorted().toList();
      for (int i = 0; i < n; i++) {
        out.add(
            i < known.size()
                ? KNOWN.get(known.get(i))
                : new Instrument(String.format("SIM%04d", i), 4, 1_000_000 + 1_000L * i, 2, 3));
      }
      return out;
    }
    Set<String> seen = new HashSet<>();
    // -1: a trailing comma is an empty symbol too, not nothing
    for (String s : spec.split(",", -1)) {
      String symbol = s.trim().toUpperCase(Locale.ROOT);
      if (symbol.isEmpty()) {
        throw new IllegalArgumentException("empty symbol in '" + spec + "'");
      }
      if (!SYMBOL.matcher(symbol).matches()) {
        throw new IllegalArgumentException(
            "'" + s.trim() + "' is not a symbol (letters and digits, then also . _ -; 32 at most)");
      }
      if (!seen.add(symbol)) {
        throw new IllegalArgumentException(symbol + " is named twice");
      }
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
