package io.rtx.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.schemas.AccountBalance;
import io.rtx.schemas.DecisionStatus;
import io.rtx.schemas.Execution;
import io.rtx.schemas.LedgerLeg;
import io.rtx.schemas.LedgerTransaction;
import io.rtx.schemas.Order;
import io.rtx.schemas.OrderDecision;
import io.rtx.schemas.Position;
import io.rtx.schemas.RejectReason;
import io.rtx.schemas.Side;
import io.rtx.schemas.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrdersTopologyTest {

  private OrdersDriver d;

  private OrdersDriver driver(Map<String, String> settings) {
    d = new OrdersDriver(OrderSettings.from(settings)).withMarket();
    return d;
  }

  /** No simulator: the tests feed executions themselves. */
  private OrdersDriver driver() {
    return driver(Map.of("orders.simulator.enabled", "false", "orders.redis.url", ""));
  }

  @AfterEach
  void close() {
    d.close();
  }

  /**
   * A client in USD at leverage 50 (margin 2% = the instruments' rate) with a confirmed deposit.
   */
  private void funded(String account, String cash) {
    d.account(account, "CLIENT", "USD", "50", "ACTIVE", null, null, null);
    d.ledgerEntry("DEP:" + account, account, "USD", cash, 100);
  }

  private static BigDecimal dec(String v) {
    return new BigDecimal(v).setScale(8);
  }

  @Test
  void anUnreadableOrderGoesToTheDeadLetterTopicAndTheNextIsDecided() {
    driver();
    funded("ACC-1", "1000");
    var raw =
        d.driver.createInputTopic(
            Topics.ORDERS.name(),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer());
    var dead =
        d.driver.createOutputTopic(
            Topics.ORDERS_DLQ.name(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    raw.pipeInput("ACC-1", new byte[] {'n', 'o', 't', ' ', 'a', 'v', 'r', 'o'});

    var letters = dead.readRecordsToList();
    assertThat(letters).hasSize(1);
    assertThat(new String(letters.get(0).value())).isEqualTo("not avro");
    assertThat(letters.get(0).headers().lastHeader("__streams.errors.exception")).isNotNull();
    assertThat(d.submit(d.market("ACC-1", "EURUSD", Side.BUY, "10000")).getStatus())
        .isEqualTo(DecisionStatus.ACCEPTED);
  }

  @Test
  void acceptsAMarketOrderAndReservesItsMargin() {
    driver();
    funded("ACC-1", "1000");
    d.balances.readValuesToList(); // the deposit's
    OrderDecision decision = d.submit(d.market("ACC-1", "EURUSD", Side.BUY, "10000"));

    assertThat(decision.getStatus()).isEqualTo(DecisionStatus.ACCEPTED);
    assertThat(decision.getReasons()).isEmpty();
    // 10,000 × ask 1.08002 × contract 1 × max(2%, 1/50) = 216.004
    assertThat(decision.getReservedMargin()).isEqualTo(dec("216.004"));
    assertThat(decision.getFreeMarginAfter()).isEqualTo(dec("783.996"));
    assertThat(decision.getCurrency()).isEqualTo("USD");
    AccountBalance balance = d.balances.readValue();
    assertThat(balance.getBalance()).isEqualTo(dec("1000"));
    assertThat(balance.getReserved()).isEqualTo(dec("216.004"));
  }

  @Test
  void aDecisionListsEveryFailedCheck() {
    driver();
    funded("ACC-1", "1000");
    OrderDecision unknown =
        d.submit(
            OrdersDriver.order(
                "NOPE", "X1", "XXXYYY", Side.BUY, io.rtx.schemas.OrderType.MARKET, "-5", null));
    assertThat(unknown.getReasons())
        .containsExactly(
            RejectReason.INVALID_ORDER, RejectReason.UNKNOWN_ACCOUNT, RejectReason.UNKNOWN_SYMBOL);

    OrderDecision offGrid = d.submit(d.limit("ACC-1", "EURUSD", Side.BUY, "1500", "1.080005"));
    assertThat(offGrid.getStatus()).isEqualTo(DecisionStatus.REJECTED);
    assertThat(offGrid.getReasons()).containsExactly(RejectReason.LOT_SIZE, RejectReason.TICK_SIZE);

    OrderDecision fatFinger = d.submit(d.limit("ACC-1", "EURUSD", Side.BUY, "1000", "1.20000"));
    assertThat(fatFinger.getReasons()).containsExactly(RejectReason.PRICE_BAND);
    assertThat(fatFinger.getReservedMargin()).isEqualTo(dec("0"));
  }

  @Test
  void aBurstFromOneAccountCannotSpendMoreThanItsMargin() {
    driver();
    funded("ACC-1", "1000");
    List<OrderDecision> decided =
        java.util.stream.IntStream.range(0, 10)
            .mapToObj(i -> d.submit(d.market("ACC-1", "EURUSD", Side.BUY, "10000")))
            .toList();
    assertThat(decided.stream().filter(x -> x.getStatus() == DecisionStatus.ACCEPTED)).hasSize(4);
    assertThat(decided.subList(4, 10))
        .allSatisfy(
            x -> assertThat(x.getReasons()).containsExactly(RejectReason.INSUFFICIENT_MARGIN));
    assertThat(decided.subList(0, 4))
        .allSatisfy(x -> assertThat(x.getFreeMarginAfter().signum()).isNotNegative());
    assertThat(decided.get(3).getFreeMarginAfter()).isEqualTo(dec("135.984"));
  }

  @Test
  void aResubmittedOrderIdIsADuplicate() {
    driver();
    funded("ACC-1", "1000");
    Order order = d.market("ACC-1", "EURUSD", Side.BUY, "1000");
    assertThat(d.submit(order).getStatus()).isEqualTo(DecisionStatus.ACCEPTED);
    assertThat(d.submit(order).getReasons()).containsExactly(RejectReason.DUPLICATE_ORDER);
    assertThat(d.state("ACC-1").openOrders()).isEqualTo(1);
  }

  @Test
  void theRateLimitCountsTheAccountsOrdersInTheWindow() {
    driver();
    d.account("ACC-1", "CLIENT", "USD", "50", "ACTIVE", null, null, 2);
    d.ledgerEntry("DEP", "ACC-1", "USD", "100000", 1);
    assertThat(d.submit(d.market("ACC-1", "EURUSD", Side.BUY, "1000")).getReasons()).isEmpty();
    assertThat(d.submit(d.market("ACC-1", "EURUSD", Side.BUY, "1000")).getReasons()).isEmpty();
    assertThat(d.submit(d.market("ACC-1", "EURUSD", Side.BUY, "1000")).getReasons())
        .containsExactly(RejectReason.RATE_LIMIT);
  }

  @Test
  void fillsMoveThePositionAndBookPnlAndFeesThatTheLedgerConfirmsOnce() {
    driver();
    funded("ACC-1", "1000");
    Order buy = d.market("ACC-1", "EURUSD", Side.BUY, "10000");
    d.submit(buy);
    d.balances.readValuesToList();

    d.executions.pipeInput("ACC-1", OrdersDriver.execution("E1", buy, "10000", "1.08002", "0.22"));
    Position opened = d.positions.readValue();
    assertThat(opened.getQuantity()).isEqualTo(dec("10000"));
    assertThat(opened.getAvgPrice()).isEqualTo(dec("1.08002"));
    LedgerTransaction fee = d.ledger.readValue();
    assertThat(fee.getTransactionId()).isEqualTo("EXE:E1");
    assertThat(fee.getLegs())
        .extracting(LedgerLeg::getEntryId, LedgerLeg::getAccountId, LedgerLeg::getAmount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("EXE:E1:fee", "ACC-1", dec("-0.22")),
            org.assertj.core.groups.Tuple.tuple("EXE:E1:fee:house", "HOUSE-USD", dec("0.22")));
    AccountBalance afterBuy = d.balances.readValue();
    assertThat(afterBuy.getBalance()).isEqualTo(dec("999.78")); // the fee, in flight
    assertThat(afterBuy.getReserved()).isEqualTo(dec("0")); // the order is done
    assertThat(d.expiring()).isEmpty(); // and nothing is left to cancel

    Order sell = d.market("ACC-1", "EURUSD", Side.SELL, "10000");
    d.executions.pipeInput("ACC-1", OrdersDriver.execution("E2", sell, "10000", "1.08100", "0.22"));
    Position closed = d.positions.readValue();
    assertThat(closed.getQuantity()).isEqualTo(dec("0"));
    assertThat(closed.getRealizedPnl()).isEqualTo(dec("9.80")); // 10,000 × (1.08100 − 1.08002)
    assertThat(closed.getFees()).isEqualTo(dec("0.44"));
    LedgerTransaction pnl = d.ledger.readValue();
    assertThat(pnl.getLegs())
        .extracting(LedgerLeg::getAmount)
        .containsExactly(dec("9.80"), dec("-9.80"), dec("-0.22"), dec("0.22"));
    assertThat(d.balances.readValue().getBalance()).isEqualTo(dec("1009.36"));

    // The ledger's stream brings the entries back: cash stays, each counted once
    d.ledgerEntry("EXE:E1:fee", "ACC-1", "USD", "-0.22", 201);
    d.ledgerEntry("EXE:E2:pnl", "ACC-1", "USD", "9.80", 202);
    d.ledgerEntry("EXE:E2:fee", "ACC-1", "USD", "-0.22", 203);
    d.ledgerEntry("EXE:E2:pnl", "ACC-1", "USD", "9.80", 202); // redelivered
    AccountState state = d.state("ACC-1");
    assertThat(state.cash()).isEqualByComparingTo("1009.36");
    assertThat(state.inflightEntries).isZero();
    assertThat(state.inflightCash).isEqualByComparingTo("0");
    assertThat(state.confirmedCash).isEqualByComparingTo("1009.36");
    assertThat(state.lastLsn).isEqualTo(203);
  }

  @Test
  void aRedeliveredExecutionChangesNothing() {
    driver();
    funded("ACC-1", "1000");
    Order buy = d.market("ACC-1", "EURUSD", Side.BUY, "10000");
    d.submit(buy);
    Execution e1 = OrdersDriver.execution("E1", buy, "10000", "1.08002", "0.22");
    d.executions.pipeInput("ACC-1", e1);
    d.positions.readValuesToList();
    d.executions.pipeInput("ACC-1", e1);
    assertThat(d.positions.isEmpty()).isTrue();
    assertThat(d.state("ACC-1").position("EURUSD").quantity()).isEqualByComparingTo("10000");
  }

  @Test
  void pnlInAnotherCurrencyIsBookedInTheAccountsAtTheMidRate() {
    driver();
    funded("ACC-1", "100000");
    Order buy = d.market("ACC-1", "USDJPY", Side.BUY, "10000");
    d.executions.pipeInput("ACC-1", OrdersDriver.execution("J1", buy, "10000", "150.000", "0"));
    d.executions.pipeInput("ACC-1", OrdersDriver.execution("J2", buy, "10000", "151.000", "0"));
    Order sell = d.market("ACC-1", "USDJPY", Side.SELL, "20000");
    d.executions.pipeInput("ACC-1", OrdersDriver.execution("J3", sell, "20000", "152.000", "0"));
    // realized 20,000 × (152 − 150.5) = 30,000 JPY; at 1 / mid 150.001 = 199.99866... USD → 200.00
    LedgerTransaction pnl = d.ledger.readValuesToList().get(0);
    assertThat(pnl.getLegs().get(0).getAmount()).isEqualTo(dec("200.00"));
    assertThat(d.state("ACC-1").position("USDJPY").realizedPnl()).isEqualByComparingTo("200.00");
  }

  @Test
  void anUnfilledOrderIsCancelledAfterItsTimeAndReleasesItsMargin() {
    driver();
    funded("ACC-1", "1000");
    OrderDecision accepted = d.submit(d.limit("ACC-1", "EURUSD", Side.BUY, "1000", "1.07500"));
    assertThat(accepted.getStatus()).isEqualTo(DecisionStatus.ACCEPTED);
    assertThat(accepted.getReservedMargin()).isEqualTo(dec("21.50")); // 1,000 × 1.075 × 2%
    d.balances.readValuesToList();

    d.driver.advanceWallClockTime(d.settings.limitTtl().plus(Duration.ofSeconds(1)));
    OrderDecision cancelled = d.decisions.readValue();
    assertThat(cancelled.getStatus()).isEqualTo(DecisionStatus.CANCELLED);
    assertThat(cancelled.getReasons()).containsExactly(RejectReason.EXPIRED);
    assertThat(cancelled.getReservedMargin()).isEqualTo(dec("21.50"));
    assertThat(d.balances.readValue().getReserved()).isEqualTo(dec("0"));
    assertThat(d.state("ACC-1").openOrders()).isZero();
    assertThat(d.state("ACC-1").pending).isEmpty();
  }

  @Test
  void theSimulatorFillsMarketOrdersAtTheTouchAndLimitOrdersWhenTheMarketCrosses() {
    driver(Map.of("orders.redis.url", "", "orders.simulator.partial.share", "0"));
    funded("ACC-1", "1000");
    d.submit(d.market("ACC-1", "EURUSD", Side.BUY, "10000"));
    Execution market = d.fills.readValue();
    assertThat(market.getPrice()).isEqualTo(dec("1.08002"));
    assertThat(market.getQuantity()).isEqualTo(dec("10000"));
    assertThat(market.getFee()).isEqualTo(dec("0.22")); // 10,800.20 × 0.00002, rounded to cents

    OrderDecision resting = d.submit(d.limit("ACC-1", "EURUSD", Side.SELL, "10000", "1.08100"));
    assertThat(resting.getStatus()).isEqualTo(DecisionStatus.ACCEPTED);
    assertThat(d.fills.isEmpty()).isTrue();
    d.ticks.pipeInput("EURUSD", d.tick("EURUSD", "1.08099", "1.08101"));
    assertThat(d.fills.isEmpty()).isTrue();
    d.ticks.pipeInput("EURUSD", d.tick("EURUSD", "1.08105", "1.08107"));
    Execution limit = d.fills.readValue();
    assertThat(limit.getPrice()).isEqualTo(dec("1.08105"));
    assertThat(d.state("ACC-1").position("EURUSD").quantity()).isEqualByComparingTo("0");
  }
}
