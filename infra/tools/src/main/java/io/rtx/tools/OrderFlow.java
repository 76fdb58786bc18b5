package io.rtx.tools;

import io.rtx.ledger.ReferenceData.InstrumentSpec;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic flow of client orders over seeded accounts: mostly market orders, limit orders a
 * few ticks around a recent mid, buys and sells, quantities in whole lots of the instrument as the
 * seed defines it ({@link SeedCommand#instrument}), bursts of many orders from one account, and the
 * faults a gateway must answer: about {@value #INVALID} of orders invalid in one way each, about
 * {@value #DUPLICATES} resubmitted with an order id already used. Same seed and same prices, same
 * orders.
 */
public final class OrderFlow {

  static final double INVALID = 0.05;
  static final double DUPLICATES = 0.02;
  static final double LIMIT = 0.2;
  static final int LIMIT_TICKS_AWAY = 5;
  static final double BURST_START = 0.005;
  static final int BURST_MIN = 20;
  static final int BURST_MAX = 60;

  /** Symbol of the unknown-symbol fault: never seeded. */
  static final String UNKNOWN_SYMBOL = "XYZUSD";

  /** Account of the unknown-account fault: five digits, which the seed never writes. */
  static final String UNKNOWN_ACCOUNT = "ACC-00000";

  private static final int RECENT = 256;
  private static final int[] LOTS = {1, 1, 1, 2, 2, 3, 5, 5, 10, 10, 20, 50, 100};

  /** What an order is meant to be; the gateway decides what it is. */
  public enum Kind {
    VALID,
    UNKNOWN_SYMBOL,
    UNKNOWN_ACCOUNT,
    QUANTITY_OFF_LOT,
    PRICE_OFF_TICK,
    NEGATIVE_QUANTITY,
    ZERO_QUANTITY,
    LIMIT_WITHOUT_PRICE,
    DUPLICATE;

    /** Every kind but the valid order and its duplicate, in declaration order. */
    static final List<Kind> INVALID_KINDS =
        Arrays.stream(values()).filter(k -> k != VALID && k != DUPLICATE).toList();

    boolean invalid() {
      return INVALID_KINDS.contains(this);
    }
  }

  /** Where limit prices start from: a recent mid of the instrument, in whole ticks. */
  public interface Prices {
    long midTicks(Instrument instrument);

    /** The simulator's start prices, when nothing more recent is known. */
    Prices START = Instrument::startTicks;
  }

  private record Market(Instrument instrument, InstrumentSpec spec) {}

  private final List<String> accounts;
  private final List<Market> markets = new ArrayList<>();
  private final Prices prices;
  private final String idPrefix;
  private final SplittableRandom random;
  private final ArrayDeque<OrderRequest> recent = new ArrayDeque<>(RECENT);
  private long numbered;
  private String burstAccount;
  private int burstLeft;

  /**
   * @param accounts the accounts to trade on, e.g. {@code ACC-0001}
   * @param instruments known instruments (the seed defines their lots)
   * @param idPrefix begins every order id; unique per run, or a second run's orders are duplicates
   */
  public OrderFlow(
      List<String> accounts,
      List<Instrument> instruments,
      long seed,
      String idPrefix,
      Prices prices) {
    if (accounts.isEmpty() || instruments.isEmpty()) {
      throw new IllegalArgumentException("an order flow needs accounts and instruments");
    }
    this.accounts = List.copyOf(accounts);
    for (Instrument i : instruments) {
      markets.add(new Market(i, SeedCommand.instrument(i)));
    }
    this.prices = prices;
    this.idPrefix = idPrefix;
    this.random = new SplittableRandom(seed);
  }

  /** The next order to send. */
  public OrderRequest next() {
    String account = nextAccount();
    double draw = random.nextDouble();
    if (draw < DUPLICATES && !recent.isEmpty()) {
      // a client retrying: the very same request, order id included
      OrderRequest again = recent.stream().skip(random.nextInt(recent.size())).findFirst().get();
      return again.as(Kind.DUPLICATE);
    }
    if (draw < DUPLICATES + INVALID) {
      return invalid(account, Kind.INVALID_KINDS.get(random.nextInt(Kind.INVALID_KINDS.size())));
    }
    OrderRequest order = valid(account);
    if (recent.size() == RECENT) {
      recent.removeFirst();
    }
    recent.addLast(order);
    return order;
  }

  private String nextAccount() {
    if (burstLeft == 0 && random.nextDouble() < BURST_START) {
      burstAccount = accounts.get(random.nextInt(accounts.size()));
      burstLeft = random.nextInt(BURST_MIN, BURST_MAX + 1);
    }
    if (burstLeft > 0) {
      burstLeft--;
      return burstAccount;
    }
    return accounts.get(random.nextInt(accounts.size()));
  }

  private OrderRequest valid(String account) {
    Market m = markets.get(random.nextInt(markets.size()));
    String side = random.nextBoolean() ? "BUY" : "SELL";
    String quantity = plain(lots(m));
    if (random.nextDouble() < LIMIT) {
      return new OrderRequest(
          account,
          nextId(),
          m.instrument().symbol(),
          side,
          "LIMIT",
          quantity,
          limitPrice(m),
          Kind.VALID);
    }
    return new OrderRequest(
        account, nextId(), m.instrument().symbol(), side, "MARKET", quantity, null, Kind.VALID);
  }

  private OrderRequest invalid(String account, Kind kind) {
    OrderRequest base = valid(account);
    Market m =
        markets.stream()
            .filter(x -> x.instrument().symbol().equals(base.symbol()))
            .findFirst()
            .get();
    BigDecimal lot = m.spec().lotSize();
    return switch (kind) {
      case UNKNOWN_SYMBOL -> base.withSymbol(UNKNOWN_SYMBOL).as(kind);
      case UNKNOWN_ACCOUNT -> base.withAccount(UNKNOWN_ACCOUNT).as(kind);
      case QUANTITY_OFF_LOT ->
          base.withQuantity(plain(lots(m).add(lot.divide(BigDecimal.valueOf(2))))).as(kind);
      case PRICE_OFF_TICK -> {
        long ticks = limitTicks(m);
        int decimals = m.instrument().decimals();
        // half a tick past a price on the grid
        yield base.asLimit(BigDecimal.valueOf(ticks * 10 + 5, decimals + 1).toPlainString())
            .as(kind);
      }
      case NEGATIVE_QUANTITY -> base.withQuantity(plain(lots(m).negate())).as(kind);
      case ZERO_QUANTITY -> base.withQuantity("0").as(kind);
      case LIMIT_WITHOUT_PRICE -> base.asLimit(null).as(kind);
      case VALID, DUPLICATE -> throw new IllegalArgumentException("not an invalid kind: " + kind);
    };
  }

  private BigDecimal lots(Market m) {
    BigDecimal q =
        m.spec().lotSize().multiply(BigDecimal.valueOf(LOTS[random.nextInt(LOTS.length)]));
    return q.max(m.spec().minQuantity()).min(m.spec().maxQuantity());
  }

  private long limitTicks(Market m) {
    return prices.midTicks(m.instrument())
        + random.nextInt(-LIMIT_TICKS_AWAY, LIMIT_TICKS_AWAY + 1);
  }

  private String limitPrice(Market m) {
    // written with the instrument's decimals, as a price is quoted: 1.08500
    return BigDecimal.valueOf(limitTicks(m), m.instrument().decimals()).toPlainString();
  }

  private String nextId() {
    return idPrefix + "-" + ++numbered;
  }

  private static String plain(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }
}
