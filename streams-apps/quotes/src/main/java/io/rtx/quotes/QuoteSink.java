package io.rtx.quotes;

import io.rtx.schemas.Tick;
import java.util.List;

/** Where the topology delivers valid ticks; {@link QuoteCache} is the Redis one. */
public interface QuoteSink {

  /**
   * Applies the ticks, keeping per symbol only a tick newer (higher seq) than the one already held.
   * Returns only once they are applied: an implementation waits out an unavailable store rather
   * than failing, because the caller must not let Kafka commit past ticks it could not deliver. It
   * throws only when it can never apply them (closed, interrupted, or a non-transient error).
   *
   * @return how many ticks replaced the held quote
   */
  int publish(List<Tick> ticks);
}
