package io.rtx.candles;

import io.rtx.common.DeadLetters;
import io.rtx.common.TickRules;
import io.rtx.common.TickRules.Rejection;
import io.rtx.schemas.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Sorts each tick record before aggregation: invalid ones to the DLQ, late ones (their base window
 * has closed) to the late topic, both with reason headers; the rest on to the candles. Deciding
 * lateness here, against the task's stream time, is what keeps late ticks out of every interval:
 * the window aggregation's own clock never runs ahead of the task's, so it accepts everything this
 * lets through. When stream time closes a base window live, it asks for a commit, which publishes
 * the window's final candle ({@link LiveCloses}).
 */
public final class TickGate implements FixedKeyProcessor<String, Tick, TickGate.Routed> {

  /**
   * On late ticks: stream time − (window end + grace), in ms; 0 means it came the moment its window
   * closed.
   */
  public static final String HEADER_LATE_BY_MS = "rtx.late.by.ms";

  /** {@code rtx.error.reason} of late ticks. */
  public static final String LATE = "LATE";

  /** Metric scope: group {@code stream-candles-metrics}, tag {@code candles-id} = task id. */
  public static final String METRIC_SCOPE = "candles";

  /** Sensors; each gives {@code <name>-total} and {@code <name>-rate}. */
  public static final String LATE_TICKS = "late-ticks";

  public static final String INVALID_TICKS = "invalid-ticks";

  enum Route {
    ACCEPTED,
    LATE,
    INVALID
  }

  record Routed(Route route, Tick tick) {}

  private final TickCheck check;
  private final long baseMs;
  private final long graceMs;
  private final LiveCloses closes;
  private FixedKeyProcessorContext<String, Routed> context;
  private Sensor lateTicks;
  private Sensor invalidTicks;

  TickGate(TickCheck check, Duration base, Duration grace) {
    this.check = check;
    this.baseMs = base.toMillis();
    this.graceMs = grace.toMillis();
    this.closes = new LiveCloses(base, grace);
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Routed> context) {
    this.context = context;
    String task = context.taskId().toString();
    lateTicks =
        context
            .metrics()
            .addRateTotalSensor(METRIC_SCOPE, task, LATE_TICKS, Sensor.RecordingLevel.INFO);
    invalidTicks =
        context
            .metrics()
            .addRateTotalSensor(METRIC_SCOPE, task, INVALID_TICKS, Sensor.RecordingLevel.INFO);
  }

  @Override
  public void process(FixedKeyRecord<String, Tick> record) {
    route(record);
    if (closes.commitNow(context.currentStreamTimeMs(), context.currentSystemTimeMs())) {
      context.commit();
    }
  }

  private void route(FixedKeyRecord<String, Tick> record) {
    Optional<Rejection> problem = check.structural(record.key(), record.value());
    if (problem.isEmpty() && record.timestamp() != record.value().getTs().toEpochMilli()) {
      // The timestamp extractor found the tick too far ahead of the clock and gave it the
      // partition's time instead of its ts: that decision stands, whatever the clock says now.
      problem =
          TickRules.reject(
              TickRules.INVALID_TICK,
              "ts "
                  + record.value().getTs()
                  + " was more than "
                  + CandleSettings.MAX_AHEAD
                  + " ahead of the clock when the app read it");
    }
    if (problem.isPresent()) {
      invalidTicks.record();
      Headers headers =
          DeadLetters.deadLetter(
              record.headers(), CandleSettings.APP, problem.get().reason(), problem.get().detail());
      headers.remove(HEADER_LATE_BY_MS);
      context.forward(
          record.withValue(new Routed(Route.INVALID, record.value())).withHeaders(headers));
      return;
    }
    // record.timestamp() is the tick's ts (see TickTimestampExtractor): the same time the windows
    // use
    long windowStart = record.timestamp() - Math.floorMod(record.timestamp(), baseMs);
    long closesAt = windowStart + baseMs + graceMs;
    long streamTime = context.currentStreamTimeMs();
    if (closesAt <= streamTime) {
      lateTicks.record();
      Headers headers =
          headers(
              record.headers(),
              LATE,
              "window ["
                  + Instant.ofEpochMilli(windowStart)
                  + ", "
                  + Instant.ofEpochMilli(windowStart + baseMs)
                  + ") closed at stream time "
                  + Instant.ofEpochMilli(closesAt)
                  + "; stream time is "
                  + Instant.ofEpochMilli(streamTime));
      DeadLetters.set(headers, HEADER_LATE_BY_MS, Long.toString(streamTime - closesAt));
      context.forward(
          record.withValue(new Routed(Route.LATE, record.value())).withHeaders(headers));
      return;
    }
    context.forward(record.withValue(new Routed(Route.ACCEPTED, record.value())));
  }

  @Override
  public void close() {
    context.metrics().removeSensor(lateTicks);
    context.metrics().removeSensor(invalidTicks);
  }

  /** A copy of the record's headers (they may be shared) with ours replacing any earlier ones. */
  private static Headers headers(Headers original, String reason, String detail) {
    Headers headers = DeadLetters.stamped(original, CandleSettings.APP, reason, detail);
    headers.remove(HEADER_LATE_BY_MS);
    return headers;
  }
}
