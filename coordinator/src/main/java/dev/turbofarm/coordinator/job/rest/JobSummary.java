package dev.turbofarm.coordinator.job.rest;

import dev.turbofarm.coordinator.job.service.Job;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A job as a list shows it: no images (its own {@code GET /api/v1/jobs/{id}} has them). */
public record JobSummary(
    UUID id,
    String state,
    String reason,
    String team,
    String prompt,
    String profile,
    int width,
    int height,
    int steps,
    int count,
    String model,
    OffsetDateTime createdAt,
    OffsetDateTime completedAt) {

  static JobSummary of(Job j) {
    return new JobSummary(
        j.id(),
        j.state().name(),
        j.reason(),
        j.team(),
        j.prompt(),
        j.profile(),
        j.width(),
        j.height(),
        j.steps(),
        j.count(),
        j.model(),
        j.createdAt(),
        j.completedAt());
  }
}
