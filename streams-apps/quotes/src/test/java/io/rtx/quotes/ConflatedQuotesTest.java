package io.rtx.quotes;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.quotes.ConflatedQuotes.Pending;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConflatedQuotesTest {

  private final ConflatedQuotes quotes = new ConflatedQuotes();

  @Test
  void sendsOneAtATimeInArrivalOrder() {
    assertThat(quotes.offer("EURUSD", new QuoteVersion(1, 0), "e1")).isTrue();
    assertThat(quotes.offer("GBPUSD", new QuoteVersion(1, 0), "g1")).isTrue();

    assertThat(quotes.next(0)).isEqualTo(new Pending("EURUSD", 1, "e1"));
    assertThat(quotes.next(0)).as("one frame in flight at most").isNull();
    quotes.sent();
    assertThat(quotes.next(0)).isEqualTo(new Pending("GBPUSD", 1, "g1"));
    quotes.sent();
    assertThat(quotes.next(0)).isNull();
    assertThat(quotes.conflated()).isZero();
  }

  @Test
  void aSlowClientKeepsOnlyTheNewestQuoteOfEachSymbol() {
    assertThat(quotes.offer("EURUSD", new QuoteVersion(1, 0), "e1")).isTrue();
    assertThat(quotes.next(0)).isEqualTo(new Pending("EURUSD", 1, "e1")); // never written
    for (int seq = 2; seq <= 10_000; seq++) {
      quotes.offer("EURUSD", new QuoteVersion(seq, 0), "e" + seq);
      quotes.offer("GBPUSD", new QuoteVersion(seq, 0), "g" + seq);
      quotes.offer("USDJPY", new QuoteVersion(seq, 0), "u" + seq);
      assertThat(quotes.size()).isLessThanOrEqualTo(3);
    }
    assertThat(quotes.size()).isEqualTo(3);
    // 9,999 quotes per symbol arrived while e1 was in flight; the last of each is kept
    assertThat(quotes.conflated()).isEqualTo(3L * 9_999 - 3);
    quotes.sent();
    assertThat(drain())
        .containsExactly(
            new Pending("EURUSD", 10_000, "e10000"),
            new Pending("GBPUSD", 10_000, "g10000"),
            new Pending("USDJPY", 10_000, "u10000"));
  }

  @Test
  void aReplacedQuoteKeepsItsSymbolsPlace() {
    quotes.offer("EURUSD", new QuoteVersion(1, 0), "e1");
    quotes.offer("GBPUSD", new QuoteVersion(1, 0), "g1");
    quotes.offer("EURUSD", new QuoteVersion(2, 0), "e2");
    assertThat(drain())
        .containsExactly(new Pending("EURUSD", 2, "e2"), new Pending("GBPUSD", 1, "g1"));
  }

  @Test
  void neverGoesBackwardsNorRepeats() {
    assertThat(quotes.offer("EURUSD", new QuoteVersion(5, 0), "e5")).isTrue();
    assertThat(quotes.offer("EURUSD", new QuoteVersion(4, 0), "e4")).as("older").isFalse();
    assertThat(quotes.offer("EURUSD", new QuoteVersion(5, 0), "e5"))
        .as("same seq: snapshot and update crossed")
        .isFalse();
    assertThat(drain()).containsExactly(new Pending("EURUSD", 5, "e5"));
    assertThat(quotes.offer("EURUSD", new QuoteVersion(5, 0), "e5")).as("already sent").isFalse();
    assertThat(quotes.offer("EURUSD", new QuoteVersion(3, 0), "e3")).isFalse();
    assertThat(quotes.offer("EURUSD", new QuoteVersion(6, 0), "e6")).isTrue();
    assertThat(drain()).containsExactly(new Pending("EURUSD", 6, "e6"));
    assertThat(quotes.conflated()).isZero();
  }

  @Test
  void tellsHowLongTheFrameInFlightHasWaited() {
    quotes.offer("EURUSD", new QuoteVersion(1, 0), "e1");
    assertThat(quotes.inFlightNanos(100)).isZero();
    quotes.next(100);
    assertThat(quotes.inFlightNanos(350)).isEqualTo(250);
    quotes.sent();
    assertThat(quotes.inFlightNanos(400)).isZero();
  }

  private List<Pending> drain() {
    List<Pending> out = new ArrayList<>();
    for (Pending p = quotes.next(0); p != null; p = quotes.next(0)) {
      out.add(p);
      quotes.sent();
    }
    return out;
  }
}
