package dev.turbofarm.coordinator.job.persistence;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.seed.Lineage;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A row of the {@code job} table, as the job API reads it.
 *
 * @param model the model that renders it; null for a job queued before jobs named models
 * @param stepProfile the step profile its steps came from; null when the caller gave a number
 * @param lineage the image it was derived from; null when none
 * @param batchId its catalogue; null for a single job
 */
public record JobRow(
    UUID id,
    String team,
    JobState state,
    String reason,
    String prompt,
    String negativePrompt,
    String profile,
    int width,
    int height,
    int steps,
    double guidance,
    int imageCount,
    List<Long> seeds,
    int attempt,
    String fallbackProfile,
    String workerId,
    OffsetDateTime createdAt,
    OffsetDateTime dispatchedAt,
    OffsetDateTime completedAt,
    String model,
    String stepProfile,
    Lineage lineage,
    UUID batchId) {}
