package dev.turbofarm.common.messaging;

import java.util.UUID;

/**
 * The outcome of one image of a job, published by the worker on {@link Topics#RESULTS} before it
 * acknowledges the job. Recording is idempotent on (jobId, index).
 *
 * @param schema message schema version, {@link #SCHEMA}
 * @param jobId the job
 * @param attempt the dispatch attempt that produced this result
 * @param index image index within the job, 0-based
 * @param status {@link Status#SUCCEEDED} with a path, or {@link Status#FAILED} with a reason
 * @param reason why it failed; null on success
 * @param path absolute path of the PNG under the result root; null on failure
 * @param seed the seed the image was rendered from
 * @param width image width in pixels
 * @param height image height in pixels
 * @param steps sampler steps
 * @param guidance guidance scale
 * @param modelId model id and version that rendered it
 * @param workerId the worker that rendered it
 * @param batchSize images in the sampler batch this image was part of
 * @param queueWaitMs from acceptance to the start of its batch's render, milliseconds
 * @param renderMs wall time of the sampler batch this image was rendered in, ms
 * @param quality prompt-match score 0..1, null when the model has no scorer
 * @param sharpness no-reference sharpness (variance of the Laplacian), null when not measured
 * @param finishedAtMs when the result was produced, epoch milliseconds
 * @param retriable on failure: whether another attempt may succeed (the coordinator re-queues up to
 *     its attempt limit); false for a job that can never render as asked
 * @param fallbackProfile the profile actually rendered when the job's own settings did not fit the
 *     worker and the job allowed a fallback; null otherwise
 */
public record ResultMessage(
    int schema,
    UUID jobId,
    int attempt,
    int index,
    Status status,
    String reason,
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
    long finishedAtMs,
    boolean retriable,
    String fallbackProfile) {

  public static final int SCHEMA = 1;

  /** Outcome of one image. */
  public enum Status {
    SUCCEEDED,
    FAILED
  }
}
