package dev.turbofarm.coordinator.job.persistence;

import java.time.OffsetDateTime;

/**
 * A row of the {@code image} table.
 *
 * @param finishedAt when the worker published the result, by the worker's clock
 * @param createdAt when the coordinator recorded it, by the database's clock
 * @param stepProfile the step profile its steps came from; null for explicit steps
 * @param seedOffset its seed minus its parent's, mod 2^32; null without a parent
 * @param verdict {@code approved}, {@code rejected}, or null when not reviewed
 * @param rating the reviewer's 1..5, or null
 */
public record ImageRow(
    int index,
    String path,
    long seed,
    int width,
    int height,
    int steps,
    double guidance,
    String modelId,
    String workerId,
    int batchSize,
    long queueWaitMs,
    long renderMs,
    Double quality,
    Double sharpness,
    String fallbackProfile,
    OffsetDateTime finishedAt,
    OffsetDateTime createdAt,
    String stepProfile,
    Long seedOffset,
    String verdict,
    Integer rating) {}
