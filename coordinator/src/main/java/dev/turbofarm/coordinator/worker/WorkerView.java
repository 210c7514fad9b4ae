package dev.turbofarm.coordinator.worker;

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
    OffsetDateTime lastSeen) {}
