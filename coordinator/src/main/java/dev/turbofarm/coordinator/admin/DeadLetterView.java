package dev.turbofarm.coordinator.admin;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A job that ended FAILED, as the dead-letter list shows it. */
public record DeadLetterView(
    UUID jobId,
    String team,
    String prompt,
    String profile,
    int width,
    int height,
    int attempts,
    String reason,
    String lastWorker,
    OffsetDateTime createdAt,
    OffsetDateTime failedAt) {}
