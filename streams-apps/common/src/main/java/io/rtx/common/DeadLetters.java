package io.rtx.common;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers on records an app routes aside (dead-letter and late topics): why, in a stable code and a
 * sentence, and which app. Records Kafka Streams itself could not deserialize carry its own {@code
 * __streams.errors.*} headers instead.
 */
public final class DeadLetters {

  /** A stable code, e.g. {@link TickRules#INVALID_TICK}. */
  public static final String REASON = "rtx.error.reason";

  /** A sentence for people. */
  public static final String DETAIL = "rtx.error.detail";

  /** The app that routed the record, e.g. {@code candles}. */
  public static final String APP = "rtx.error.app";

  private DeadLetters() {}

  /**
   * A copy of {@code original} (a record's headers may be shared with other records) with the
   * reason, detail and app headers replacing any earlier ones, so a record carries one reason
   * however often it was routed aside.
   */
  public static Headers stamped(Headers original, String app, String reason, String detail) {
    Headers headers = new RecordHeaders(original.toArray());
    set(headers, REASON, reason);
    set(headers, DETAIL, detail);
    set(headers, APP, app);
    return headers;
  }

  /** Sets a UTF-8 text header, replacing any earlier values of it; returns {@code headers}. */
  public static Headers set(Headers headers, String name, String value) {
    return headers.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
