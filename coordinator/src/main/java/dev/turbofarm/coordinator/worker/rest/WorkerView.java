package dev.turbofarm.coordinator.worker.rest;

import dev.turbofarm.coordinator.worker.service.WorkerRegistry.Worker;
import java.time.OffsetDateTime;

/**
 * A worker as the admin API shows it, from its latest heartbeat: {@code state} is the admin command
 * in force (CORDONED, DRAINING, QUARANTINED) or else the state the worker reported ({@code
 * reportedState}); {@code controlApplied} equals it once the worker applies the command.
 */
public record WorkerView(
    String id,
    String host,
    String state,
    String reportedState,
    String modelId,
    int maxBatchSize,
    int currentBatch,
    int jobsInFlight,
    long imagesRendered,
    double imagesPerSecond,
    long heapUsedBytes,
    long rssBytes,
    OffsetDateTime firstSeen,
    OffsetDateTime lastSeen,
    Long memoryBudgetPixels,
    String controlReason,
    OffsetDateTime controlAt,
    String controlApplied) {

  static WorkerView of(Worker w) {
    return new WorkerView(
        w.id(),
        w.host(),
        w.state(),
        w.reportedState(),
        w.modelId(),
        w.maxBatchSize(),
        w.currentBatch(),
        w.jobsInFlight(),
        w.imagesRendered(),
        w.imagesPerSecond(),
        w.heapUsedBytes(),
        w.rssBytes(),
        w.firstSeen(),
        w.lastSeen(),
        w.memoryBudgetPixels(),
        w.controlReason(),
        w.controlAt(),
        w.controlApplied());
  }
}
