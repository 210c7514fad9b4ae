package dev.turbofarm.coordinator.batch.service;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A batch's progress.
 *
 * @param state RUNNING, COMPLETED, CANCELLING (cancelled, dispatched jobs still rendering) or
 *     CANCELLED
 * @param done true once no job is QUEUED or DISPATCHED
 * @param imagesPerSecond images rendered per second over the last minute
 * @param etaSeconds seconds until the remaining images are rendered at that rate; null when nothing
 *     was rendered in the last minute or nothing remains
 * @param webhook the completion webhook's delivery status, or null
 * @param reviews the rendered images by review verdict
 */
public record Progress(
    UUID id,
    String team,
    String name,
    String state,
    boolean done,
    Jobs jobs,
    Images images,
    double imagesPerSecond,
    Long etaSeconds,
    OffsetDateTime createdAt,
    OffsetDateTime completedAt,
    String webhook,
    Reviews reviews) {

  /** Jobs of the batch per state. */
  public record Jobs(
      long total, long queued, long dispatched, long succeeded, long failed, long cancelled) {}

  /** Images of the batch: all, rendered, and still to render (queued or dispatched jobs). */
  public record Images(long total, long done, long remaining) {}

  /** Rendered images of the batch approved, rejected, and not (yet) given a verdict. */
  public record Reviews(long approved, long rejected, long unreviewed) {}
}
