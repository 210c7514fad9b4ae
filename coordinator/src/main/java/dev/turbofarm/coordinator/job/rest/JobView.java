package dev.turbofarm.coordinator.job.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A job as the API shows it. Timestamps: {@code createdAt} accepted, {@code dispatchedAt} the
 * broker acknowledged the job message, per image {@code finishedAt} the worker published the result
 * (the worker's clock) and {@code recordedAt} the coordinator recorded it; the render started
 * {@code queueWaitMs} after {@code createdAt} and took {@code renderMs}.
 */
public record JobView(
    UUID id,
    String state,
    String reason,
    String team,
    String prompt,
    String negativePrompt,
    String profile,
    int width,
    int height,
    int steps,
    double guidance,
    int count,
    List<Long> seeds,
    int attempt,
    String fallbackProfile,
    String workerId,
    OffsetDateTime createdAt,
    OffsetDateTime dispatchedAt,
    OffsetDateTime completedAt,
    List<ImageView> images) {

  /** One image of a job. */
  public record ImageView(
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
      OffsetDateTime recordedAt) {}
}
