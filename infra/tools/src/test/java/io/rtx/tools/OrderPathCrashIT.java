package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Crashes on the order path: while orders flow, the orders app is killed (SIGKILL) and started
 * again, and then the Connect worker (the ledger sink and the Debezium source); once orders and
 * ticks have stopped, Redis is killed and started empty. Afterwards every position, balance and
 * ledger row, in Redis too, is exactly what the committed decisions and executions say, and every
 * Redis quote is back as it was — nothing lost, nothing counted twice. It kills components, so it
 * has a stack of its own.
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
    // the last quotes, once the quotes app has written the last tick
    AtomicReference<Map<String, Map<String, String>>> quotes = new AtomicReference<>(Map.of());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              Map<String, Map<String, String>> now = path.quotes();
              boolean stable =
                  now.equals(quotes.get()) && now.values().stream().noneMatch(Map::isEmpty);
              quotes.set(now);
              return stable;
            });
    // Redis keeps nothing on disk: restarted while nothing comes, it gets every account, position
    // and quote back (the account cache, the quotes app), with nothing new to write.
    stack.kill(Component.REDIS);
    stack.ensure(List.of(Component.REDIS));
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              path.assertEverywhereEqual(path.recompute());
              assertThat(path.quotes()).as("quotes after Redis restarted").isEqualTo(quotes.get());
            });
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
