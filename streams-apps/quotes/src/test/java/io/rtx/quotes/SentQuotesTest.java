package io.rtx.quotes;

import static io.rtx.quotes.Ticks.tick;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentQuotesTest {

  private final SentQuotes sent = new SentQuotes();

  @Test
  void refusesOnlyATickOlderThanOneSentForItsSymbol() {
    assertThat(sent.admit(tick("EURUSD", 5))).isTrue();
    assertThat(sent.admit(tick("EURUSD", 4))).isFalse();
    assertThat(sent.admit(tick("EURUSD", 5))).as("a replay re-sends the newest").isTrue();
    assertThat(sent.admit(tick("GBPUSD", 1))).as("symbols are independent").isTrue();
    assertThat(sent.admit(tick("EURUSD", 6))).isTrue();
    assertThat(sent.admit(tick("EURUSD", 5))).isFalse();
  }

  @Test
  void aRestartedSequenceIsSentAndGoesOnFromThere() {
    SentQuotes sent = new SentQuotes();
    io.rtx.schemas.Tick high = tick("EURUSD", 900);
    assertThat(sent.admit(high)).isTrue();
    io.rtx.schemas.Tick reset =
        io.rtx.schemas.Tick.newBuilder(tick("EURUSD", 1))
            .setTs(high.getTs().plus(QuoteVersion.RESET_AFTER))
            .build();
    assertThat(sent.admit(reset)).isTrue();
    assertThat(sent.admit(high)).as("the old sequence is older now").isFalse();
  }
}
