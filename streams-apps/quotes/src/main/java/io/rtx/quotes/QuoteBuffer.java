package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A task's handle on the {@link PendingQuotes} of its stream thread.
 *
 * <p>It is a state store only to get a hook that runs before every offset commit: Streams calls
 * {@link #flushCache()} of each {@link CachedStateStore} in {@code StreamTask.prepareCommit}, on
 * periodic, requested, rebalance and shutdown commits alike, and commits nothing if it throws. No
 * public hook runs before the commit in Kafka 4.3 ({@code StateStore.commit} runs after it). {@code
 * QuoteTopologyTest} pins this: a tick must reach the sink before the test driver commits.
 *
 * <p>Flushing publishes the ticks of every task of the thread, a superset of what the committing
 * task needs, to the sink and then to market.quotes through the flushing task's processor (the
 * {@link PendingQuotes.Onward} it attached), so they are sent before that commit flushes the
 * producer. Nothing is ever dropped here, not even on a dirty close: ticks of a task that will be
 * replayed are applied at most twice, which the compare-and-set makes harmless, while dropping them
 * could lose ticks of another task of the thread that has yet to commit. No changelog: after a
 * crash the ticks are replayed from market.ticks.
 */
final class QuoteBuffer implements StateStore, CachedStateStore<Void, Void> {

  static final String NAME = "quote-buffer";

  private final ThreadLocal<PendingQuotes> perThread;
  private PendingQuotes.Onward onward; // this task's processor, once initialised
  private boolean open;

  private QuoteBuffer(ThreadLocal<PendingQuotes> perThread) {
    this.perThread = perThread;
  }

  /** Called by the task's processor in its {@code init}: where this task's flushes forward to. */
  void attach(PendingQuotes.Onward onward) {
    this.onward = onward;
  }

  void add(Tick tick) {
    perThread.get().add(tick, onward);
  }

  void publishPending() {
    perThread.get().publish(onward);
  }

  @Override
  public void flushCache() {
    // a task whose processor is not initialised has processed nothing: its commit passes no tick
    if (onward != null) {
      publishPending();
    }
  }

  @Override
  public void clearCache() {
    // see the class comment: never drop
  }

  @Override
  public boolean setFlushListener(CacheFlushListener<Void, Void> listener, boolean sendOldValues) {
    return false;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    context.register(root, (key, value) -> {}); // no changelog, nothing to restore
    open = true;
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** One store per task; the tasks a thread runs share that thread's pending ticks. */
  static final class Builder implements StoreBuilder<QuoteBuffer> {

    // tasks are processed and committed on the thread that owns them, so per-thread needs no
    // locking
    private final ThreadLocal<PendingQuotes> perThread;

    Builder(QuoteSink sink, int batchSize) {
      this.perThread = ThreadLocal.withInitial(() -> new PendingQuotes(sink, batchSize));
    }

    @Override
    public StoreBuilder<QuoteBuffer> withCachingEnabled() {
      return this;
    }

    @Override
    public StoreBuilder<QuoteBuffer> withCachingDisabled() {
      return this;
    }

    @Override
    public StoreBuilder<QuoteBuffer> withLoggingEnabled(Map<String, String> config) {
      throw new UnsupportedOperationException(
          "the quote buffer has no changelog: it is replayed from its input");
    }

    @Override
    public StoreBuilder<QuoteBuffer> withLoggingDisabled() {
      return this;
    }

    @Override
    public QuoteBuffer build() {
      return new QuoteBuffer(perThread);
    }

    @Override
    public Map<String, String> logConfig() {
      return Map.of();
    }

    @Override
    public boolean loggingEnabled() {
      return false;
    }

    @Override
    public String name() {
      return NAME;
    }
  }
}
