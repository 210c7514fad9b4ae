package dev.turbofarm.coordinator.deadletter.rest;

import dev.turbofarm.coordinator.deadletter.service.DeadLetterService.DeadLetter;
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
    OffsetDateTime failedAt) {

  static DeadLetterView of(DeadLetter d) {
    return new DeadLetterView(
        d.jobId(),
        d.team(),
        d.prompt(),
        d.profile(),
        d.width(),
        d.height(),
        d.attempts(),
        d.reason(),
        d.lastWorker(),
        d.createdAt(),
        d.failedAt());
  }
}
