package dev.turbofarm.coordinator.worker.rest;

import dev.turbofarm.coordinator.worker.service.WorkerRegistry.Worker;
import java.time.OffsetDateTime;

/** A worker as the admin API shows it, from its latest heartbeat. */
public record WorkerView(
    String id,
    String host,
    String state,
    String modelId,
    int maxBatchSize,
    int currentBatch,
    int jobsInFlight,
    long imagesRendered,
    double imagesPerSecond,
    long heapUsedBytes,
    long rssBytes,
    OffsetDateTime firstSeen,
    OffsetDateTime lastSeen) {

  static WorkerView of(Worker w) {
    return new WorkerView(
        w.id(),
        w.host(),
        w.state(),
        w.modelId(),
        w.maxBatchSize(),
        w.currentBatch(),
        w.jobsInFlight(),
        w.imagesRendered(),
        w.imagesPerSecond(),
        w.heapUsedBytes(),
        w.rssBytes(),
        w.firstSeen(),
        w.lastSeen());
  }
}
