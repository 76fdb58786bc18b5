package io.rtx.orders.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.orders.AccountRef;
import io.rtx.orders.AccountState;
import io.rtx.orders.InstrumentRef;
import io.rtx.orders.Margin;
import io.rtx.orders.OpenOrder;
import io.rtx.schemas.Order;
import io.rtx.schemas.OrderType;
import io.rtx.schemas.RejectReason;
import io.rtx.schemas.Side;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each rule on its own: it fails on its case, passes otherwise, and passes when its inputs are
 * missing.
 */
class RiskRulesTest {

  private static final AccountRef ACCOUNT =
      new AccountRef("ACC-1", "CLIENT", "USD", d("50"), "ACTIVE", d("100000"), d("200000"), 5);
  private static final InstrumentRef EURUSD =
      new InstrumentRef(
          "EURUSD",
          "USD",
          d("0.00001"),
          d("1000"),
          d("1000"),
          d("1000000"),
          d("1"),
          d("0.02"),
          d("1"),
          "TRADING");
  private static final Tick QUOTE =
      Tick.newBuilder()
          .setSymbol("EURUSD")
          .setSeq(1)
          .setTs(Instant.EPOCH)
          .setBid(d("1.08000"))
          .setAsk(d("1.08002"))
          .setVenue("T")
          .build();

  private static BigDecimal d(String v) {
    return new BigDecimal(v).setScale(8);
  }

  private static Order order(OrderType type, Side side, String qty, String limit) {
    return Order.newBuilder()
        .setOrderId("O-1")
        .setAccountId("ACC-1")
        .setSymbol("EURUSD")
        .setSide(side)
        .setOrderType(type)
        .setQuantity(d(qty))
        .setLimitPrice(limit == null ? null : d(limit))
        .setSubmittedAt(Instant.EPOCH)
        .build();
  }

  /** A context with everything present and fine; each test changes one thing. */
  private static RiskContext ctx(Order order) {
    return ctx(
        order,
        ACCOUNT,
        EURUSD,
        Optional.of(QUOTE),
        new AccountState("ACC-1"),
        false,
        Optional.of(d("216")),
        view("1000"));
  }

  private static Optional<Margin.AccountView> view(String free) {
    return Optional.of(
        new Margin.AccountView(
            "ACC-1", "USD", d(free), d(free), d("0"), d("0"), d(free), null, List.of(), 0, 1,
            true));
  }

  private static RiskContext ctx(
      Order order,
      AccountRef a,
      InstrumentRef i,
      Optional<Tick> q,
      AccountState s,
      boolean dup,
      Optional<BigDecimal> req,
      Optional<Margin.AccountView> v) {
    return new RiskContext(order, a, i, q, s, dup, 1_000_000, Duration.ofSeconds(1), req, v);
  }

  private static final Order FINE = order(OrderType.MARKET, Side.BUY, "10000", null);

  @Test
  void everyRulePassesAFineOrder() {
    assertThat(Risk.check(ctx(FINE))).isEmpty();
    assertThat(Risk.check(ctx(order(OrderType.LIMIT, Side.SELL, "10000", "1.08100")))).isEmpty();
  }

  @Test
  void validOrder() {
    RiskRule rule = new ValidOrderRule();
    assertThat(rule.reason()).isEqualTo(RejectReason.INVALID_ORDER);
    assertThat(rule.fails(ctx(order(OrderType.MARKET, Side.BUY, "0", null)))).isTrue();
    assertThat(rule.fails(ctx(order(OrderType.MARKET, Side.BUY, "1000", "1.1")))).isTrue();
    assertThat(rule.fails(ctx(order(OrderType.LIMIT, Side.BUY, "1000", null)))).isTrue();
    assertThat(rule.fails(ctx(order(OrderType.LIMIT, Side.BUY, "1000", "-1")))).isTrue();
    assertThat(rule.fails(ctx(FINE))).isFalse();
  }

  @Test
  void duplicateOrder() {
    assertThat(
            new DuplicateOrderRule()
                .fails(
                    ctx(
                        FINE,
                        ACCOUNT,
                        EURUSD,
                        Optional.of(QUOTE),
                        new AccountState("A"),
                        true,
                        Optional.of(d("1")),
                        view("1000"))))
        .isTrue();
    assertThat(new DuplicateOrderRule().fails(ctx(FINE))).isFalse();
  }

  @Test
  void accountExistsAndIsAnActiveClient() {
    assertThat(
            new AccountExistsRule()
                .fails(
                    ctx(
                        FINE,
                        null,
                        EURUSD,
                        Optional.of(QUOTE),
                        new AccountState("A"),
                        false,
                        Optional.empty(),
                        Optional.empty())))
        .isTrue();
    for (AccountRef bad :
        List.of(
            new AccountRef("ACC-1", "CLIENT", "USD", d("50"), "SUSPENDED", null, null, null),
            new AccountRef("ACC-1", "CLIENT", "USD", d("50"), "CLOSED", null, null, null),
            new AccountRef("HOUSE", "HOUSE", "USD", d("1"), "ACTIVE", null, null, null))) {
      assertThat(
              new AccountActiveRule()
                  .fails(
                      ctx(
                          FINE,
                          bad,
                          EURUSD,
                          Optional.of(QUOTE),
                          new AccountState("A"),
                          false,
                          Optional.of(d("1")),
                          view("1000"))))
          .as(bad.toString())
          .isTrue();
    }
    assertThat(new AccountActiveRule().fails(ctx(FINE))).isFalse();
  }

  @Test
  void instrumentExistsAndTrades() {
    assertThat(
            new InstrumentExistsRule()
                .fails(
                    ctx(
                        FINE,
                        ACCOUNT,
                        null,
                        Optional.of(QUOTE),
                        new AccountState("A"),
                        false,
                        Optional.empty(),
                        view("1000"))))
        .isTrue();
    InstrumentRef halted =
        new InstrumentRef(
            "EURUSD",
            "USD",
            d("0.00001"),
            d("1000"),
            d("1000"),
            d("1000000"),
            d("1"),
            d("0.02"),
            d("1"),
            "HALTED");
    assertThat(
            new InstrumentTradingRule()
                .fails(
                    ctx(
                        FINE,
                        ACCOUNT,
                        halted,
                        Optional.of(QUOTE),
                        new AccountState("A"),
                        false,
                        Optional.of(d("1")),
                        view("1000"))))
        .isTrue();
    assertThat(new InstrumentTradingRule().fails(ctx(FINE))).isFalse();
  }

  @Test
  void quantityRangeLotAndTick() {
    assertThat(new QuantityRangeRule().fails(ctx(order(OrderType.MARKET, Side.BUY, "999", null))))
        .isTrue();
    assertThat(
            new QuantityRangeRule().fails(ctx(order(OrderType.MARKET, Side.BUY, "1001000", null))))
        .isTrue();
    assertThat(
            new QuantityRangeRule().fails(ctx(order(OrderType.MARKET, Side.BUY, "1000000", null))))
        .isFalse();
    assertThat(new LotSizeRule().fails(ctx(order(OrderType.MARKET, Side.BUY, "1500", null))))
        .isTrue();
    assertThat(new LotSizeRule().fails(ctx(order(OrderType.MARKET, Side.BUY, "2000", null))))
        .isFalse();
    assertThat(new TickSizeRule().fails(ctx(order(OrderType.LIMIT, Side.BUY, "1000", "1.080005"))))
        .isTrue();
    assertThat(new TickSizeRule().fails(ctx(order(OrderType.LIMIT, Side.BUY, "1000", "1.08001"))))
        .isFalse();
    assertThat(new TickSizeRule().fails(ctx(FINE)))
        .isFalse(); // a market order has no price to check
  }

  @Test
  void marketDataIsNeededToPrice() {
    RiskRule rule = new MarketDataRule();
    assertThat(
            rule.fails(
                ctx(
                    FINE,
                    ACCOUNT,
                    EURUSD,
                    Optional.empty(),
                    new AccountState("A"),
                    false,
                    Optional.empty(),
                    view("1000"))))
        .isTrue();
    Optional<Margin.AccountView> incomplete =
        Optional.of(
            new Margin.AccountView(
                "ACC-1", "USD", d("1"), d("1"), d("0"), d("0"), d("1"), null, List.of(), 0, 1,
                false));
    assertThat(
            rule.fails(
                ctx(
                    FINE,
                    ACCOUNT,
                    EURUSD,
                    Optional.of(QUOTE),
                    new AccountState("A"),
                    false,
                    Optional.of(d("1")),
                    incomplete)))
        .isTrue();
    assertThat(rule.fails(ctx(FINE))).isFalse();
  }

  @Test
  void priceBandAroundTheMid() {
    RiskRule rule = new PriceBandRule(); // 1% around mid 1.08001: 1.0692099 .. 1.0908101
    assertThat(rule.fails(ctx(order(OrderType.LIMIT, Side.BUY, "1000", "1.09081")))).isFalse();
    assertThat(rule.fails(ctx(order(OrderType.LIMIT, Side.BUY, "1000", "1.09082")))).isTrue();
    assertThat(rule.fails(ctx(order(OrderType.LIMIT, Side.SELL, "1000", "1.06921")))).isFalse();
    assertThat(rule.fails(ctx(order(OrderType.LIMIT, Side.SELL, "1000", "1.06920")))).isTrue();
    assertThat(rule.fails(ctx(FINE))).isFalse();
  }

  @Test
  void orderSizeLimit() {
    assertThat(
            new OrderSizeLimitRule().fails(ctx(order(OrderType.MARKET, Side.BUY, "101000", null))))
        .isTrue();
    assertThat(
            new OrderSizeLimitRule().fails(ctx(order(OrderType.MARKET, Side.BUY, "100000", null))))
        .isFalse();
  }

  @Test
  void positionLimitCountsThePositionAndOpenOrdersOnTheSameSide() {
    AccountState s = new AccountState("ACC-1");
    s.positions.put(
        "EURUSD", new AccountState.PositionState(d("150000"), d("1.08"), d("0"), d("0"), "E"));
    s.hold(
        new OpenOrder(
            "B1",
            "EURUSD",
            Side.BUY,
            OrderType.LIMIT,
            d("30000"),
            d("30000"),
            d("1.07"),
            d("1"),
            0),
        1);
    s.hold(
        new OpenOrder(
            "S1",
            "EURUSD",
            Side.SELL,
            OrderType.LIMIT,
            d("90000"),
            d("90000"),
            d("1.09"),
            d("1"),
            0),
        1);
    RiskRule rule = new PositionLimitRule(); // max 200,000
    assertThat(
            rule.fails(
                ctx(
                    order(OrderType.MARKET, Side.BUY, "20000", null),
                    ACCOUNT,
                    EURUSD,
                    Optional.of(QUOTE),
                    s,
                    false,
                    Optional.of(d("1")),
                    view("1000"))))
        .isFalse();
    assertThat(
            rule.fails(
                ctx(
                    order(OrderType.MARKET, Side.BUY, "21000", null),
                    ACCOUNT,
                    EURUSD,
                    Optional.of(QUOTE),
                    s,
                    false,
                    Optional.of(d("1")),
                    view("1000"))))
        .isTrue();
    assertThat(
            rule.fails(
                ctx(
                    order(OrderType.MARKET, Side.SELL, "100000", null),
                    ACCOUNT,
                    EURUSD,
                    Optional.of(QUOTE),
                    s,
                    false,
                    Optional.of(d("1")),
                    view("1000"))))
        .isFalse();
  }

  @Test
  void rateLimitOverTheWindow() {
    AccountState s = new AccountState("ACC-1"); // 5 per second
    for (long t : new long[] {999_001, 999_500, 999_600, 999_999}) {
      s.recentOrders.addLast(t);
    }
    RiskRule rule = new RateLimitRule();
    assertThat(
            rule.fails(
                ctx(
                    FINE,
                    ACCOUNT,
                    EURUSD,
                    Optional.of(QUOTE),
                    s,
                    false,
                    Optional.of(d("1")),
                    view("1000"))))
        .isFalse();
    s.recentOrders.addLast(1_000_000L);
    assertThat(
            rule.fails(
                ctx(
                    FINE,
                    ACCOUNT,
                    EURUSD,
                    Optional.of(QUOTE),
                    s,
                    false,
                    Optional.of(d("1")),
                    view("1000"))))
        .isTrue();
    s.recentOrders.pollFirst();
    s.recentOrders.addFirst(999_000L); // at the window's edge: outside
    assertThat(
            rule.fails(
                ctx(
                    FINE,
                    ACCOUNT,
                    EURUSD,
                    Optional.of(QUOTE),
                    s,
                    false,
                    Optional.of(d("1")),
                    view("1000"))))
        .isFalse();
  }

  @Test
  void marginFitsTheFreeMargin() {
    RiskRule rule = new MarginRule();
    assertThat(
            rule.fails(
                ctx(
                    FINE,
                    ACCOUNT,
                    EURUSD,
                    Optional.of(QUOTE),
                    new AccountState("A"),
                    false,
                    Optional.of(d("1000")),
                    view("1000"))))
        .isFalse();
    assertThat(
            rule.fails(
                ctx(
                    FINE,
                    ACCOUNT,
                    EURUSD,
                    Optional.of(QUOTE),
                    new AccountState("A"),
                    false,
                    Optional.of(d("1000.00000001")),
                    view("1000"))))
        .isTrue();
  }

  @Test
  void aDecisionListsEveryFailedRuleInOrder() {
    Order bad = order(OrderType.LIMIT, Side.BUY, "1500", "1.20000001");
    assertThat(
            Risk.check(
                ctx(
                    bad,
                    ACCOUNT,
                    EURUSD,
                    Optional.of(QUOTE),
                    new AccountState("A"),
                    true,
                    Optional.of(d("5000")),
                    view("1000"))))
        .containsExactly(
            RejectReason.DUPLICATE_ORDER,
            RejectReason.LOT_SIZE,
            RejectReason.TICK_SIZE,
            RejectReason.PRICE_BAND,
            RejectReason.INSUFFICIENT_MARGIN);
  }
}
