package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Crashes on the order path: while orders flow, the orders app is killed (SIGKILL) and started
 * again, and then the Connect worker (the ledger sink and the Debezium source); afterwards every
 * position, balance and ledger row is exactly what the committed decisions and executions say —
 * nothing lost, nothing counted twice. It kills components, so it has a stack of its own.
 */
@UsesLocalStack(
    value = {
      Component.POSTGRES,
      Component.KAFKA,
      Component.REGISTRY,
      Component.CONNECT,
      Component.REDIS,
      Component.QUOTES,
      Component.ORDERS
    },
    isolated = true)
class OrderPathCrashIT {

  private final LocalStack stack;

  OrderPathCrashIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void killingTheOrdersAppAndTheConnectWorkerLosesAndDoublesNothing() throws Exception {
    stack.stack().applyTopics(line -> {});
    stack.deployConnectors();
    OrderPath path = new OrderPath(stack, "CRASH", 6);
    AtomicBoolean ticking = new AtomicBoolean(true);
    Thread ticks = path.tickFeed(ticking);
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> "10000.00000000".equals(path.account(path.accounts.get(0)).get("balance")));
      Thread.sleep(3_000);

      crashWhileOrdersFlow(path, 1, Component.ORDERS);
      crashWhileOrdersFlow(path, 2, Component.CONNECT);

      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(path::quiet);
    } finally {
      ticking.set(false);
      ticks.join(10_000);
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> path.assertEverywhereEqual(path.recompute()));
    OrderPath.assertMarginNeverNegative(path.decisions());
  }

  /** Orders keep coming while {@code victim} is killed and, a few seconds later, started again. */
  private void crashWhileOrdersFlow(OrderPath path, long seed, Component victim) throws Exception {
    AtomicReference<Exception> failed = new AtomicReference<>();
    Thread orders =
        new Thread(
            () -> {
              try {
                path.sendOrders(seed, 400, 40);
              } catch (Exception e) {
                failed.set(e);
              }
            },
            "crash-orders");
    orders.start();
    Thread.sleep(3_000);
    long start = System.nanoTime();
    stack.kill(victim);
    Thread.sleep(3_000);
    stack.ensure(List.of(victim));
    System.out.println(
        "order path crash: "
            + victim.id()
            + " killed and ready again in "
            + Duration.ofNanos(System.nanoTime() - start));
    orders.join(120_000);
    assertThat(failed.get()).isNull();
  }
}
