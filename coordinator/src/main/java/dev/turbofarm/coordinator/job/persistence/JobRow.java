package dev.turbofarm.coordinator.job.persistence;

import dev.turbofarm.common.job.JobState;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A row of the {@code job} table, as the job API reads it. */
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
    OffsetDateTime completedAt) {}
