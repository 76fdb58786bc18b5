package io.rtx.orders;

import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.function.Function;

/**
 * The latest quote of each symbol ({@code market.quotes}) and what follows from it: mid prices and
 * the rate that turns an amount in one currency into another. A rate comes from the pair quoted
 * either way ({@code EURUSD} for EUR→USD, or {@code USDJPY} inverted for JPY→USD), at its mid.
 */
public final class Prices {

  private static final int RATE_SCALE = 12;

  private final Function<String, Tick> quotes;

  public Prices(Function<String, Tick> quotes) {
    this.quotes = quotes;
  }

  public Optional<Tick> quote(String symbol) {
    return Optional.ofNullable(quotes.apply(symbol));
  }

  public static BigDecimal mid(Tick t) {
    return t.getBid().add(t.getAsk()).divide(BigDecimal.valueOf(2), 8, RoundingMode.HALF_EVEN);
  }

  /** How many {@code to} one {@code from} is worth now; empty when no quote says. */
  public Optional<BigDecimal> rate(String from, String to) {
    if (from.equals(to)) {
      return Optional.of(BigDecimal.ONE);
    }
    Optional<Tick> direct = quote(from + to);
    if (direct.isPresent()) {
      return Optional.of(mid(direct.get()));
    }
    return quote(to + from)
        .map(t -> BigDecimal.ONE.divide(mid(t), RATE_SCALE, RoundingMode.HALF_EVEN));
  }

  /** {@code amount} of {@code from} in {@code to}, exact to 8 places; empty without a rate. */
  public Optional<BigDecimal> convert(BigDecimal amount, String from, String to) {
    return rate(from, to).map(r -> amount.multiply(r).setScale(8, RoundingMode.HALF_EVEN));
  }
}
