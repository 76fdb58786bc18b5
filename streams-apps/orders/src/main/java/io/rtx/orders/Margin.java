package io.rtx.orders;

import io.rtx.schemas.Side;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an account is worth and what it may still risk, in its own currency.
 *
 * <ul>
 *   <li>margin of an exposure = |quantity| × price × contract size × max(instrument margin rate, 1
 *       / account leverage), converted at the current rate;
 *   <li>a position marks at the price it could be closed at: the bid for a long, the ask for a
 *       short; unrealized P&L = (mark − average price) × quantity × contract size;
 *   <li>equity = cash + unrealized P&L; free margin = equity − used margin − margin reserved by
 *       accepted, unfilled orders.
 * </ul>
 *
 * A value that cannot be converted for want of a quote makes the view incomplete: risk then refuses
 * new orders for want of market data rather than guess.
 */
public final class Margin {

  /** One position as the account view shows it. */
  public record PositionView(
      String symbol,
      BigDecimal quantity,
      BigDecimal avgPrice,
      BigDecimal realizedPnl,
      BigDecimal unrealizedPnl,
      BigDecimal fees,
      BigDecimal usedMargin) {}

  /** The account as a whole, in its currency. {@code complete}: every value could be priced. */
  public record AccountView(
      String accountId,
      String currency,
      BigDecimal balance,
      BigDecimal equity,
      BigDecimal usedMargin,
      BigDecimal reservedMargin,
      BigDecimal freeMargin,
      BigDecimal marginLevel,
      List<PositionView> positions,
      int openOrders,
      long version,
      boolean complete) {}

  private Margin() {}

  /**
   * Every decimal of the view at scale 8, like the topics' (exact sums; rounding only where a
   * division left more).
   */
  private static BigDecimal scale8(BigDecimal v) {
    return v.setScale(8, RoundingMode.HALF_EVEN);
  }

  /** The fraction of notional held as margin. */
  public static BigDecimal rate(InstrumentRef instrument, AccountRef account) {
    BigDecimal byLeverage = BigDecimal.ONE.divide(account.leverage(), 8, RoundingMode.HALF_EVEN);
    return instrument.marginRate().max(byLeverage);
  }

  /** Margin of an exposure, in the account's currency; empty when it cannot be converted. */
  public static Optional<BigDecimal> required(
      BigDecimal quantity,
      BigDecimal price,
      InstrumentRef instrument,
      AccountRef account,
      Prices prices) {
    BigDecimal inQuote =
        quantity
            .abs()
            .multiply(price)
            .multiply(instrument.contractSize())
            .multiply(rate(instrument, account));
    return prices.convert(inQuote, instrument.quoteCurrency(), account.currency());
  }

  /** The price an order of {@code side} would fill at now: the ask to buy, the bid to sell. */
  public static BigDecimal touch(Tick quote, Side side) {
    return side == Side.BUY ? quote.getAsk() : quote.getBid();
  }

  public static AccountView view(
      AccountState state,
      AccountRef account,
      Function<String, InstrumentRef> instruments,
      Prices prices) {
    BigDecimal unrealized = BigDecimal.ZERO;
    BigDecimal used = BigDecimal.ZERO;
    boolean complete = true;
    List<PositionView> positions = new ArrayList<>();
    for (Map.Entry<String, AccountState.PositionState> e : state.positions.entrySet()) {
      AccountState.PositionState p = e.getValue();
      InstrumentRef instrument = instruments.apply(e.getKey());
      BigDecimal posUnrealized = BigDecimal.ZERO;
      BigDecimal posUsed = BigDecimal.ZERO;
      if (p.quantity().signum() != 0) {
        Optional<Tick> quote = prices.quote(e.getKey());
        if (instrument == null || quote.isEmpty()) {
          complete = false;
        } else {
          BigDecimal mark = p.quantity().signum() > 0 ? quote.get().getBid() : quote.get().getAsk();
          Optional<BigDecimal> u =
              prices.convert(
                  PositionMath.unrealized(p.holding(), mark, instrument.contractSize()),
                  instrument.quoteCurrency(),
                  account.currency());
          Optional<BigDecimal> m = required(p.quantity(), mark, instrument, account, prices);
          if (u.isEmpty() || m.isEmpty()) {
            complete = false;
          } else {
            posUnrealized = u.get();
            posUsed = m.get();
          }
        }
      }
      unrealized = unrealized.add(posUnrealized);
      used = used.add(posUsed);
      positions.add(
          new PositionView(
              e.getKey(),
              p.quantity(),
              p.avgPrice(),
              p.realizedPnl(),
              posUnrealized,
              p.fees(),
              posUsed));
    }
    BigDecimal cash = state.cash();
    BigDecimal reserved = state.reserved();
    BigDecimal equity = cash.add(unrealized);
    BigDecimal free = equity.subtract(used).subtract(reserved);
    BigDecimal held = used.add(reserved);
    BigDecimal level =
        held.signum() == 0
            ? null
            : equity.multiply(BigDecimal.valueOf(100)).divide(held, 2, RoundingMode.HALF_EVEN);
    return new AccountView(
        state.accountId,
        account.currency(),
        scale8(cash),
        scale8(equity),
        scale8(used),
        scale8(reserved),
        scale8(free),
        level,
        positions,
        state.openOrders(),
        state.version,
        complete);
  }
}
