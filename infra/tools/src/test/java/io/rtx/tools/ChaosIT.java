package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Chaos under load: while the simulator publishes 300 ticks/s with redeliveries and out-of-order
 * ticks, each of the candles app, the quotes app, the Connect worker, Redis, PostgreSQL and the
 * broker is killed (SIGKILL) in turn and started again. Afterwards every tick is in TimescaleDB
 * exactly once, every closed 1s candle equals SQL over the landed ticks, the candles' tick counts
 * add up to the ticks, and within 10 s of the last tick every Redis quote is the newest tick of its
 * symbol. It kills components, so it has a stack of its own.
 */
@UsesLocalStack(
    value = {
      Component.POSTGRES,
      Component.KAFKA,
      Component.REGISTRY,
      Component.CONNECT,
      Component.REDIS,
      Component.CANDLES,
      Component.QUOTES
    },
    isolated = true)
class ChaosIT {

  private static final List<Component> VICTIMS =
      List.of(
          Component.CANDLES,
          Component.QUOTES,
          Component.CONNECT,
          Component.REDIS,
          Component.POSTGRES,
          Component.KAFKA);

  private final LocalStack stack;

  ChaosIT(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void killingEachComponentUnderLoadLosesAndDoublesNothing() throws Exception {
    stack.stack().applyTopics(line -> {});
    stack.deployConnectors();
    MarketOracle market = new MarketOracle(stack, "CHAOS");
    CompletableFuture<SimulateCommand.Report> load =
        CompletableFuture.supplyAsync(() -> market.feed(45_000, 300));
    Map<Component, Duration> outages = new LinkedHashMap<>();
    Thread.sleep(10_000);
    for (Component victim : VICTIMS) {
      long start = System.nanoTime();
      stack.kill(victim);
      Thread.sleep(3_000);
      stack.ensure(List.of(victim));
      outages.put(victim, Duration.ofNanos(System.nanoTime() - start));
      Thread.sleep(
          3_000); // the next kill may find this one still catching up: harsher, still valid
    }
    SimulateCommand.Report sent = load.get();
    System.out.println("chaos: killed and back " + outages + "; sent " + sent);

    Duration toNewestQuotes = market.closeAndCheck(sent);
    System.out.println("chaos: every quote the newest tick " + toNewestQuotes + " after the last");
    assertThat(toNewestQuotes)
        .as("last tick → every quote the newest")
        .isLessThan(Duration.ofSeconds(10));
  }
}
