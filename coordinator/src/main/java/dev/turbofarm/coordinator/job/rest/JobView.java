package dev.turbofarm.coordinator.job.rest;

import dev.turbofarm.coordinator.image.service.ImageUrls;
import dev.turbofarm.coordinator.job.service.Job;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A job as the API shows it. Timestamps: {@code createdAt} accepted, {@code dispatchedAt} the
 * broker acknowledged the job message, per image {@code finishedAt} the worker published the result
 * (the worker's clock) and {@code recordedAt} the coordinator recorded it; the render started
 * {@code queueWaitMs} after {@code createdAt} and took {@code renderMs}. Each image has its {@code
 * url} (absolute, always) and {@code sha256}; {@code path} only with the filesystem store.
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
    List<ImageView> images,
    String model,
    String stepProfile,
    ImageRef parent,
    String derivation) {

  /** The API's view of a job the service returned; image links start from {@code base}. */
  public static JobView of(Job j, URI base) {
    return new JobView(
        j.id(),
        j.state().name(),
        j.reason(),
        j.team(),
        j.prompt(),
        j.negativePrompt(),
        j.profile(),
        j.width(),
        j.height(),
        j.steps(),
        j.guidance(),
        j.count(),
        j.seeds(),
        j.attempt(),
        j.fallbackProfile(),
        j.workerId(),
        j.createdAt(),
        j.dispatchedAt(),
        j.completedAt(),
        j.images().stream().map(i -> ImageView.of(j.id(), i, base)).toList(),
        j.model(),
        j.stepProfile(),
        j.lineage() == null
            ? null
            : new ImageRef(j.lineage().parentJobId(), j.lineage().parentIndex()),
        j.lineage() == null ? null : j.lineage().derivation().value());
  }

  /** One image of one job. */
  public record ImageRef(UUID jobId, int index) {}

  /**
   * One image of a job; {@code seedOffset} is its seed minus its parent's mod 2^32 (null without a
   * parent), {@code verdict} and {@code rating} its review (null until reviewed).
   *
   * @param url the PNG, absolute; answers 410 once {@code expiredAt} is set
   * @param thumbnailUrl its 256-px JPEG thumbnail (also 128 and 512: {@code ?size=})
   * @param path the file, with the filesystem store only
   * @param sha256 hex SHA-256 of the PNG (the download's ETag)
   */
  public record ImageView(
      int index,
      URI url,
      URI thumbnailUrl,
      String sha256,
      Long bytes,
      OffsetDateTime expiredAt,
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
      OffsetDateTime recordedAt,
      String stepProfile,
      Long seedOffset,
      String verdict,
      Integer rating) {

    static ImageView of(java.util.UUID job, Job.Image i, URI base) {
      return new ImageView(
          i.index(),
          ImageUrls.image(base, job, i.index()),
          i.thumbnails().contains(ImageUrls.DEFAULT_THUMBNAIL)
              ? ImageUrls.thumbnail(base, job, i.index(), ImageUrls.DEFAULT_THUMBNAIL)
              : null,
          i.sha256(),
          i.bytes(),
          i.expiredAt(),
          i.path(),
          i.seed(),
          i.width(),
          i.height(),
          i.steps(),
          i.guidance(),
          i.modelId(),
          i.workerId(),
          i.batchSize(),
          i.queueWaitMs(),
          i.renderMs(),
          i.quality(),
          i.sharpness(),
          i.fallbackProfile(),
          i.finishedAt(),
          i.recordedAt(),
          i.stepProfile(),
          i.seedOffset(),
          i.verdict(),
          i.rating());
    }
  }
}
