package io.rtx.quotes;

import static io.rtx.quotes.Ticks.tick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Batching and newest-per-symbol collapsing, tested here because the test driver commits after
 * every record and so flushes each tick alone.
 */
class QuoteBufferTest {

  private final RecordingSink sink = new RecordingSink();

  @Test
  void flushesOnceBatchSizeTicksAreBuffered() {
    PendingQuotes pending = new PendingQuotes(sink, 3);
    pending.add(tick("EURUSD", 1), sink);
    pending.add(tick("GBPUSD", 1), sink);
    assertThat(sink.calls).isEmpty();

    pending.add(tick("USDJPY", 1), sink);
    assertThat(sink.calls)
        .containsExactly(List.of(tick("EURUSD", 1), tick("GBPUSD", 1), tick("USDJPY", 1)));
  }

  @Test
  void batchSizeCountsTicksNotSymbols() {
    PendingQuotes pending = new PendingQuotes(sink, 3);
    pending.add(tick("EURUSD", 1), sink);
    pending.add(tick("EURUSD", 2), sink);
    pending.add(tick("EURUSD", 3), sink);
    assertThat(sink.calls).containsExactly(List.of(tick("EURUSD", 3)));
  }

  @Test
  void keepsTheNewestTickOfEachSymbolAndTheFirstOfEqualSeqs() {
    PendingQuotes pending = new PendingQuotes(sink, 500);
    pending.add(tick("EURUSD", 1), sink);
    pending.add(tick("GBPUSD", 4, "1.1", "1.2"), sink);
    pending.add(tick("EURUSD", 3), sink);
    pending.add(tick("EURUSD", 2), sink);
    pending.add(tick("GBPUSD", 4, "9.9", "9.9"), sink); // redelivery
    pending.publish(sink);

    assertThat(sink.calls)
        .containsExactly(List.of(tick("EURUSD", 3), tick("GBPUSD", 4, "1.1", "1.2")));
  }

  @Test
  void ticksTheSinkRefusedStayPending() {
    PendingQuotes pending = new PendingQuotes(sink, 500);
    pending.add(tick("EURUSD", 1), sink);
    sink.failWith = new IllegalStateException("closed");
    assertThatThrownBy(() -> pending.publish(sink)).isSameAs(sink.failWith);

    sink.failWith = null;
    pending.add(tick("GBPUSD", 1), sink);
    pending.publish(sink);
    assertThat(sink.calls).containsExactly(List.of(tick("EURUSD", 1), tick("GBPUSD", 1)));
  }

  @Test
  void theTasksOfAThreadShareOneFlushAndNeverDropTicks() {
    QuoteBuffer.Builder stores = new QuoteBuffer.Builder(sink, 500);
    QuoteBuffer task1 = stores.build();
    QuoteBuffer task2 = stores.build();
    RecordingSink task1Onward = new RecordingSink();
    task1.attach(task1Onward);
    task2.attach(sink);
    task1.add(tick("EURUSD", 1));
    task2.add(tick("GBPUSD", 1));
    task2.clearCache();
    task2.close(); // even a dirty close keeps them: task1 has not committed yet

    task1.flushCache();
    task1.flushCache(); // nothing left: no empty call
    assertThat(sink.calls).containsExactly(List.of(tick("EURUSD", 1), tick("GBPUSD", 1)));
    // onward through the task that flushed: its commit is the one that must follow the sends
    assertThat(task1Onward.forwarded)
        .containsExactly(List.of(tick("EURUSD", 1), tick("GBPUSD", 1)));
    assertThat(sink.forwarded).isEmpty();
  }

  @Test
  void eachThreadHasItsOwnPendingTicks() {
    QuoteBuffer.Builder stores = new QuoteBuffer.Builder(sink, 500);
    QuoteBuffer task1 = stores.build();
    task1.attach(sink);
    task1.add(tick("EURUSD", 1));
    CompletableFuture.runAsync(
            () -> {
              QuoteBuffer other = stores.build();
              other.attach(sink);
              other.flushCache();
            })
        .join();
    assertThat(sink.calls).isEmpty();

    task1.flushCache();
    assertThat(sink.calls).containsExactly(List.of(tick("EURUSD", 1)));
  }

  @Test
  void eachFlushSendsTheSameNewestTicksOnwardAfterTheSink() {
    PendingQuotes pending = new PendingQuotes(sink, 500);
    pending.add(tick("EURUSD", 1), sink);
    pending.add(tick("EURUSD", 2), sink);
    pending.add(tick("GBPUSD", 1), sink);
    pending.publish(sink);

    assertThat(sink.forwarded).containsExactly(List.of(tick("EURUSD", 2), tick("GBPUSD", 1)));
    assertThat(sink.log).containsExactly("sink", "onward");
  }

  @Test
  void ticksThatCouldNotBeSentOnwardStayPending() {
    PendingQuotes pending = new PendingQuotes(sink, 500);
    pending.add(tick("EURUSD", 1), sink);
    sink.failForwardWith = new IllegalStateException("registry down");
    assertThatThrownBy(() -> pending.publish(sink)).isSameAs(sink.failForwardWith);

    sink.failForwardWith = null;
    pending.publish(sink);
    assertThat(sink.forwarded).containsExactly(List.of(tick("EURUSD", 1)));
  }

  @Test
  void aTaskWhoseProcessorIsNotInitialisedFlushesNothingOnCommit() {
    QuoteBuffer.Builder stores = new QuoteBuffer.Builder(sink, 500);
    QuoteBuffer running = stores.build();
    running.attach(sink);
    running.add(tick("EURUSD", 1));

    stores.build().flushCache();
    assertThat(sink.calls).isEmpty();
    running.flushCache();
    assertThat(sink.forwarded).containsExactly(List.of(tick("EURUSD", 1)));
  }
}
