package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.common.TickRules.Rejection;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.Tick;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TickRulesTest {

  private static Tick.Builder tick() {
    return Tick.newBuilder()
        .setSymbol("EURUSD")
        .setSeq(7)
        .setTs(Instant.parse("2026-11-26T10:00:00Z"))
        .setBid(Decimals.of("1.1"))
        .setAsk(Decimals.of("1.1001"))
        .setVenue("TEST");
  }

  private static Rejection rejection(String key, Tick tick) {
    return TickRules.check(key, tick).orElseThrow();
  }

  @Test
  void acceptsAGoodTickAndALockedQuote() {
    assertThat(TickRules.check("EURUSD", tick().build())).isEmpty();
    assertThat(
            TickRules.check(
                "EURUSD", tick().setAsk(Decimals.of("1.1")).setLastSize(Decimals.of("0")).build()))
        .isEmpty();
  }

  @Test
  void refusesTheRecordWithACodeAndAPreciseDetail() {
    assertThat(rejection("EURUSD", null))
        .isEqualTo(new Rejection(TickRules.NULL_VALUE, "record has no value (a tombstone)"));
    assertThat(rejection(null, tick().build()))
        .isEqualTo(
            new Rejection(
                TickRules.NULL_KEY, "record has no key; ticks are keyed by symbol (EURUSD)"));
    assertThat(rejection("GBPUSD", tick().build()))
        .isEqualTo(
            new Rejection(TickRules.KEY_MISMATCH, "key 'GBPUSD' differs from symbol 'EURUSD'"));
  }

  @Test
  void refusesTicksThatCannotBeRight() {
    assertThat(rejection(" ", tick().setSymbol(" ").build()))
        .isEqualTo(new Rejection(TickRules.INVALID_TICK, "symbol is blank"));
    assertThat(rejection("EURUSD", tick().setSeq(-1).build()))
        .isEqualTo(new Rejection(TickRules.INVALID_TICK, "seq -1 is negative"));
    assertThat(rejection("EURUSD", tick().setTs(Instant.ofEpochMilli(-1)).build()))
        .isEqualTo(
            new Rejection(TickRules.INVALID_TICK, "ts 1969-12-31T23:59:59.999Z is before 1970"));
    assertThat(rejection("EURUSD", tick().setBid(Decimals.of("0")).build()))
        .isEqualTo(
            new Rejection(
                TickRules.INVALID_TICK, "bid 0.00000000 and ask 1.10010000 must be positive"));
    assertThat(rejection("EURUSD", tick().setAsk(Decimals.of("-1")).build()))
        .isEqualTo(
            new Rejection(
                TickRules.INVALID_TICK, "bid 1.10000000 and ask -1.00000000 must be positive"));
    assertThat(rejection("EURUSD", tick().setAsk(Decimals.of("1.09")).build()))
        .isEqualTo(new Rejection(TickRules.INVALID_TICK, "ask 1.09000000 is below bid 1.10000000"));
    assertThat(rejection("EURUSD", tick().setLastSize(Decimals.of("-0.5")).build()))
        .isEqualTo(new Rejection(TickRules.INVALID_TICK, "last_size -0.50000000 is negative"));
  }
}
