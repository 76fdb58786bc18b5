package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.schemas.Component;
import io.rtx.schemas.DecisionStatus;
import io.rtx.schemas.OrderDecision;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The order path end to end on the real stack: a seeded stream of orders for many accounts (market
 * and limit, bursts, invalid orders, duplicates) through the gateway, risk, the simulated venue,
 * positions, the ledger sink into PostgreSQL and back through Debezium; then every account's cash
 * and positions are the same in the account query, Redis, the balances and positions topics and the
 * PostgreSQL ledger, and equal to an independent recomputation from the executions topic; and no
 * accepted order ever left free margin below zero.
 */
@UsesLocalStack({
  Component.POSTGRES,
  Component.KAFKA,
  Component.REGISTRY,
  Component.CONNECT,
  Component.REDIS,
  Component.QUOTES,
  Component.ORDERS
})
class OrderPathIT {

  private final LocalStack stack;

  OrderPathIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void riskFillsPositionsAndTheLedgerAgreeEverywhere() throws Exception {
    stack.stack().applyTopics(line -> {});
    stack.deployConnectors();
    String prefix = "OPIT" + UUID.randomUUID().toString().substring(0, 4).toUpperCase(Locale.ROOT);
    OrderPath path = new OrderPath(stack, prefix, 8);
    AtomicBoolean ticking = new AtomicBoolean(true);
    Thread ticks = path.tickFeed(ticking);
    try {
      // the account and its deposit have come through Debezium; quotes are flowing
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> "10000.00000000".equals(path.account(path.accounts.get(0)).get("balance")));
      Thread.sleep(3_000);

      SimulateOrdersCommand.Report sent = path.sendOrders(42, 600, 60);
      assertThat(sent.sent()).isEqualTo(600);
      // answered with the decision, or 202 to poll when it took longer than orders.http.wait
      assertThat(sent.accepted() + sent.rejected() + sent.pending() + sent.badRequests())
          .isEqualTo(600);
      assertThat(sent.httpErrors()).isZero();

      // resting limit orders fill as the market moves or expire (orders.limit.ttl); bookings land
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(path::quiet);
    } finally {
      ticking.set(false);
      ticks.join(10_000);
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> path.assertEverywhereEqual(path.recompute()));
    List<OrderDecision> decisions = path.decisions();
    OrderPath.assertMarginNeverNegative(decisions);
    assertThat(decisions.stream().map(OrderDecision::getStatus))
        .contains(DecisionStatus.ACCEPTED, DecisionStatus.REJECTED);
    assertThat(decisions.stream().map(d -> d.getReasons().toString()))
        .anyMatch(r -> r.contains("DUPLICATE_ORDER"));
  }
}
