package dev.turbofarm.coordinator.job.persistence;

import java.time.OffsetDateTime;

/**
 * A row of the {@code image} table.
 *
 * @param finishedAt when the worker published the result, by the worker's clock
 * @param createdAt when the coordinator recorded it, by the database's clock
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
    OffsetDateTime createdAt) {}
