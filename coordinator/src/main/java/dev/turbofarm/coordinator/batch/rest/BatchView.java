package dev.turbofarm.coordinator.batch.rest;

import dev.turbofarm.coordinator.batch.service.Progress;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A batch's progress.
 *
 * @param id the batch's id
 * @param team the submitting team
 * @param name the caller's label, or null
 * @param state RUNNING, COMPLETED, CANCELLING (cancelled, dispatched jobs still rendering) or
 *     CANCELLED
 * @param done true once no job is QUEUED or DISPATCHED
 * @param jobs jobs per state
 * @param images images in all, rendered so far, still to render
 * @param imagesPerSecond images rendered per second over the last minute
 * @param etaSeconds seconds until the remaining images are rendered at that rate; null when nothing
 *     was rendered in the last minute or nothing remains
 * @param createdAt when the batch was accepted
 * @param completedAt when its last job finished, or null
 * @param webhook the completion webhook's delivery status, or null
 * @param reviews the rendered images approved, rejected and unreviewed
 */
public record BatchView(
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

  static BatchView of(Progress p) {
    return new BatchView(
        p.id(),
        p.team(),
        p.name(),
        p.state(),
        p.done(),
        new Jobs(
            p.jobs().total(),
            p.jobs().queued(),
            p.jobs().dispatched(),
            p.jobs().succeeded(),
            p.jobs().failed(),
            p.jobs().cancelled()),
        new Images(p.images().total(), p.images().done(), p.images().remaining()),
        p.imagesPerSecond(),
        p.etaSeconds(),
        p.createdAt(),
        p.completedAt(),
        p.webhook(),
        new Reviews(p.reviews().approved(), p.reviews().rejected(), p.reviews().unreviewed()));
  }

  /** Jobs of the batch per state. */
  public record Jobs(
      long total, long queued, long dispatched, long succeeded, long failed, long cancelled) {}

  /** Images of the batch: all, rendered, and still to render (queued or dispatched jobs). */
  public record Images(long total, long done, long remaining) {}

  /** Rendered images of the batch by review: approved, rejected, no verdict yet. */
  public record Reviews(long approved, long rejected, long unreviewed) {}
}
