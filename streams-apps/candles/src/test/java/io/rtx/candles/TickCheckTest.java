package io.rtx.candles;

import static io.rtx.candles.Ticks.quote;
import static io.rtx.candles.Ticks.tick;
import static io.rtx.candles.Ticks.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.common.TickRules;
import io.rtx.common.TickRules.Rejection;
import io.rtx.schemas.Decimals;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TickCheckTest {

  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
  private final TickCheck bid = new TickCheck(PriceBasis.BID, Ticks.MAX_AHEAD, Ticks.CLOCK);
  private final TickCheck last = new TickCheck(PriceBasis.LAST, Ticks.MAX_AHEAD, Ticks.CLOCK);

  private static Optional<String> reason(Optional<Rejection> r) {
    return r.map(Rejection::reason);
  }

  @Test
  void refusesATickFurtherAheadOfTheClockThanMaxAhead() {
    TickCheck atT =
        new TickCheck(
            PriceBasis.BID,
            java.time.Duration.ofMinutes(1),
            java.time.Clock.fixed(T, java.time.ZoneOffset.UTC));
    assertThat(atT.problem("EURUSD", tick("EURUSD", 1, T.plusSeconds(60), "1.1"))).isEmpty();
    Optional<Rejection> ahead =
        atT.problem("EURUSD", tick("EURUSD", 1, T.plusSeconds(60).plusMillis(1), "1.1"));
    assertThat(reason(ahead)).contains(TickRules.INVALID_TICK);
    assertThat(ahead.get().detail())
        .isEqualTo(
            "ts 2026-11-26T10:01:00.001Z is more than PT1M ahead of the clock (2026-11-26T10:00:00Z)");
    // and it cannot move stream time: the extractor gives such a record the partition's time
    assertThat(
            new TickTimestampExtractor(atT)
                .extract(
                    new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                        "market.ticks",
                        0,
                        0,
                        "EURUSD",
                        tick("EURUSD", 1, T.plusSeconds(3600), "1.1")),
                    5_000))
        .isEqualTo(5_000);
  }

  @Test
  void acceptsAGoodTick() {
    assertThat(bid.problem("EURUSD", tick("EURUSD", 1, T, "1.1"))).isEmpty();
    assertThat(last.problem("EURUSD", trade("EURUSD", 1, T, "1.1", "1.1", null))).isEmpty();
  }

  @Test
  void refusesEachBrokenCase() {
    assertThat(reason(bid.problem("EURUSD", null))).contains(TickRules.NULL_VALUE);
    assertThat(reason(bid.problem(null, tick("EURUSD", 1, T, "1.1")))).contains(TickRules.NULL_KEY);
    assertThat(reason(bid.problem("GBPUSD", tick("EURUSD", 1, T, "1.1"))))
        .contains(TickRules.KEY_MISMATCH);
    assertThat(reason(bid.problem("", tick("", 1, T, "1.1")))).contains(TickRules.INVALID_TICK);
    assertThat(reason(bid.problem("EURUSD", tick("EURUSD", -1, T, "1.1"))))
        .contains(TickRules.INVALID_TICK);
    assertThat(reason(bid.problem("EURUSD", tick("EURUSD", 1, Instant.ofEpochMilli(-1), "1.1"))))
        .contains(TickRules.INVALID_TICK);
    assertThat(reason(bid.problem("EURUSD", tick("EURUSD", 1, T, "0"))))
        .contains(TickRules.INVALID_TICK);
    assertThat(
            reason(
                bid.problem(
                    "EURUSD", quote("EURUSD", 1, T, "1.1").setAsk(Decimals.of("-1")).build())))
        .contains(TickRules.INVALID_TICK);
    assertThat(reason(bid.problem("EURUSD", trade("EURUSD", 1, T, "1.1", null, "-0.5"))))
        .contains(TickRules.INVALID_TICK);
    assertThat(reason(last.problem("EURUSD", tick("EURUSD", 1, T, "1.1"))))
        .contains(TickCheck.MISSING_PRICE);
    assertThat(reason(last.problem("EURUSD", trade("EURUSD", 1, T, "1.1", "0", null))))
        .contains(TickRules.INVALID_TICK);
  }

  @Test
  void aCrossedQuoteIsRefusedALockedOneIsNot() {
    Optional<Rejection> crossed =
        bid.problem("EURUSD", quote("EURUSD", 1, T, "1.1").setAsk(Decimals.of("1.09")).build());
    assertThat(crossed)
        .contains(new Rejection(TickRules.INVALID_TICK, "ask 1.09000000 is below bid 1.10000000"));
    assertThat(
            bid.problem("EURUSD", quote("EURUSD", 1, T, "1.1").setAsk(Decimals.of("1.1")).build()))
        .isEmpty();
  }

  @Test
  void onlyTheBasisInUseMatters() {
    // a bad last_price does not refuse a quote when candles are built from bids
    assertThat(bid.problem("EURUSD", trade("EURUSD", 1, T, "1.1", "0", null))).isEmpty();
  }
}
