package io.rtx.quotes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuoteVersionTest {

  private static final long T = 1_764_115_200_000L;
  private static final long RESET = QuoteVersion.RESET_AFTER.toMillis();

  @Test
  void aHigherSeqIsNewerUnlessFromTheSequenceARestartReplaced() {
    assertThat(new QuoteVersion(6, T).supersedes(new QuoteVersion(5, T))).isTrue();
    assertThat(new QuoteVersion(6, T - RESET + 1).supersedes(new QuoteVersion(5, T))).isTrue();
    assertThat(new QuoteVersion(6_000, T - RESET).supersedes(new QuoteVersion(5, T))).isFalse();
  }

  @Test
  void aRedeliveryOrALateTickIsNotNewer() {
    assertThat(new QuoteVersion(5, T).supersedes(new QuoteVersion(5, T))).isFalse();
    assertThat(new QuoteVersion(4, T - 1).supersedes(new QuoteVersion(5, T))).isFalse();
  }

  @Test
  void aLowerSeqDatedTheMarginLaterIsARestartedSequence() {
    assertThat(new QuoteVersion(1, T + RESET).supersedes(new QuoteVersion(5_000, T))).isTrue();
    assertThat(new QuoteVersion(1, T + RESET - 1).supersedes(new QuoteVersion(5_000, T))).isFalse();
  }
}
