package dev.turbofarm.coordinator.analytics;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One image as the history shows it.
 *
 * @param renderedAt when its result was recorded (the database's clock)
 */
public record HistoryImage(
    UUID jobId,
    int index,
    String team,
    UUID batchId,
    String prompt,
    String profile,
    String stepProfile,
    String model,
    int width,
    int height,
    int steps,
    double guidance,
    long seed,
    Double quality,
    String verdict,
    Integer rating,
    long renderMs,
    long queueWaitMs,
    UUID parentJobId,
    Integer parentIndex,
    String derivation,
    Long seedOffset,
    OffsetDateTime renderedAt,
    String storageKey) {}
