package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketGeneratorTest {

  private static List<Tick> run(long seed, int n, double outOfOrder, double duplicates) {
    MarketGenerator g =
        new MarketGenerator(
            Instrument.parse("EURUSD,USDJPY,XAUUSD"), seed, outOfOrder, duplicates, "SIM", 1);
    List<Tick> out = new ArrayList<>();
    Instant t = Instant.parse("2026-11-26T00:00:00Z");
    for (int i = 0; i < n; i++) {
      out.add(g.next(t.plusMillis(i)));
    }
    out.addAll(g.drain());
    return out;
  }

  @Test
  void sameSeedSameFeed() {
    assertThat(run(7, 5_000, 0.05, 0.05)).isEqualTo(run(7, 5_000, 0.05, 0.05));
    assertThat(run(7, 5_000, 0.05, 0.05)).isNotEqualTo(run(8, 5_000, 0.05, 0.05));
  }

  @Test
  void pricesSitOnTheInstrumentsTickGridWithAPositiveSpread() {
    for (Tick t : run(1, 20_000, 0, 0)) {
      int decimals = t.getSymbol().equals("EURUSD") ? 5 : t.getSymbol().equals("USDJPY") ? 3 : 2;
      assertThat(t.getBid().stripTrailingZeros().scale()).isLessThanOrEqualTo(decimals);
      assertThat(t.getAsk().stripTrailingZeros().scale()).isLessThanOrEqualTo(decimals);
      assertThat(t.getAsk()).isGreaterThan(t.getBid());
      assertThat(t.getBid()).isGreaterThan(BigDecimal.ZERO);
      assertThat(t.getBid().scale()).isEqualTo(8);
    }
  }

  @Test
  void everySeqIsDeliveredRedeliveriesAreExactCopiesAndReorderingIsBounded() {
    List<Tick> feed = run(3, 50_000, 0.02, 0.03);
    Map<String, Tick> bySeq = new HashMap<>();
    Map<String, Long> maxSeq = new HashMap<>();
    int redelivered = 0;
    int late = 0;
    Map<String, Long> highest = new HashMap<>();
    for (Tick t : feed) {
      String id = t.getSymbol() + "/" + t.getSeq();
      Tick first = bySeq.putIfAbsent(id, t);
      if (first != null) {
        assertThat(t).isEqualTo(first);
        redelivered++;
        continue;
      }
      maxSeq.merge(t.getSymbol(), t.getSeq(), Math::max);
      long hi = highest.getOrDefault(t.getSymbol(), 0L);
      if (t.getSeq() < hi) {
        late++;
        assertThat(hi - t.getSeq())
            .as("held back behind at most 5 later ticks of any symbol")
            .isLessThanOrEqualTo(6);
      }
      highest.put(t.getSymbol(), Math.max(hi, t.getSeq()));
    }
    // seqs 1..max of every symbol, each delivered, nothing else
    assertThat(bySeq).hasSize((int) maxSeq.values().stream().mapToLong(Long::longValue).sum());
    assertThat(redelivered).isBetween(1_200, 1_800);
    assertThat(late).isGreaterThan(300);
  }
}
