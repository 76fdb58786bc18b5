package io.rtx.ops;

import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.ReplicationSlots;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the poller saw last: the API and {@code /metrics} both answer from it. A part that could not
 * be read keeps its previous value and says why in {@code errors} (by part: lag, connectors, slots,
 * status). The probes' figures cover the time since the previous snapshot.
 */
public record OpsSnapshot(
    Instant at,
    LagReport lag,
    List<ConnectorState> connectors,
    List<ComponentStatus> components,
    List<ReplicationSlots.Slot> slots,
    double ticksInPerSecond,
    Map<String, Double> ticksLandedPerSecond,
    PipelineProbe.Figures tickToQuote,
    PipelineProbe.Figures candleClose,
    Map<String, String> errors) {

  /** One component as {@code ./rtx status} checks it. */
  public record ComponentStatus(String component, boolean up, String endpoint) {}
}
