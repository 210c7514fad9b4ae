package dev.turbofarm.coordinator.job.persistence;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A FAILED job, as the dead-letter list reads it. */
public record DeadLetterRow(
    UUID id,
    String team,
    String prompt,
    String profile,
    int width,
    int height,
    int attempt,
    String reason,
    String workerId,
    OffsetDateTime createdAt,
    OffsetDateTime completedAt) {}
