package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.seed.Lineage;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A job with its images, as the job service returns it.
 *
 * @param createdAt accepted; {@code dispatchedAt} the broker acknowledged the job message; {@code
 *     completedAt} its terminal state was recorded (all the database's clock)
 * @param model the model that renders it (null only for a job queued before jobs named one)
 * @param stepProfile the step profile its steps came from; null when the caller gave a number
 * @param lineage the image it was derived from, and how; null when none
 */
public record Job(
    UUID id,
    JobState state,
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
    List<Image> images,
    String model,
    String stepProfile,
    Lineage lineage) {

  /** This job with another reason (why a QUEUED job waits, computed when it is read). */
  public Job withReason(String why) {
    return new Job(
        id,
        state,
        why,
        team,
        prompt,
        negativePrompt,
        profile,
        width,
        height,
        steps,
        guidance,
        count,
        seeds,
        attempt,
        fallbackProfile,
        workerId,
        createdAt,
        dispatchedAt,
        completedAt,
        images,
        model,
        stepProfile,
        lineage);
  }

  /**
   * One rendered image.
   *
   * @param finishedAt the worker published the result (the worker's clock)
   * @param recordedAt the coordinator recorded it (the database's clock)
   * @param path the PNG's file, for the filesystem store only; null otherwise
   * @param sha256 of the stored PNG; null for images recorded before checksums
   * @param bytes the PNG's size, bytes; null before checksums
   * @param thumbnails sizes of the thumbnails beside it, px
   * @param expiredAt when retention deleted it; null while stored
   * @param stepProfile the step profile its steps came from; null for explicit steps
   * @param seedOffset its seed minus its parent's, mod 2^32 (the pool offset of a variant)
   * @param verdict {@code approved}, {@code rejected} or null (not reviewed)
   * @param rating the reviewer's 1..5, or null
   */
  public record Image(
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
      OffsetDateTime recordedAt,
      String sha256,
      Long bytes,
      List<Integer> thumbnails,
      OffsetDateTime expiredAt,
      String stepProfile,
      Long seedOffset,
      String verdict,
      Integer rating) {}
}
