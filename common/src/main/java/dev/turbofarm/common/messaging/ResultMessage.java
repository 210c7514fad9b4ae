package dev.turbofarm.common.messaging;

import java.util.List;
import java.util.UUID;

/**
 * The outcome of one image of a job, published by the worker on {@link Topics#RESULTS} before it
 * acknowledges the job. Recording is idempotent on (jobId, index).
 *
 * <p>Schema 2 (issue 11) carries where the image is stored instead of a host path: {@code
 * storageKey}, {@code sha256}, {@code bytes}, {@code crc32} and {@code thumbnails}, and {@code
 * path} is null. Schema 1 results (a path, no key) are still read: the coordinator derives the key
 * from the job id and index, and never stores or serves the path a message carries.
 *
 * @param schema message schema version, {@link #SCHEMA}
 * @param jobId the job
 * @param attempt the dispatch attempt that produced this result
 * @param index image index within the job, 0-based
 * @param status {@link Status#SUCCEEDED} with a path, or {@link Status#FAILED} with a reason
 * @param reason why it failed; null on success
 * @param path schema 1 only: the PNG's path on the worker's host; null from schema 2 on
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
 * @param storageKey schema 2: the PNG's key in the result store ({@code <2
 *     hex>/<job>/<index>.png}); null on failure
 * @param sha256 schema 2: lower-case hex SHA-256 of the stored PNG; null on failure
 * @param bytes schema 2: the stored PNG's size, bytes; null on failure
 * @param crc32 schema 2: CRC-32 of the stored PNG (ZIP entries need it before the bytes); null on
 *     failure
 * @param thumbnails schema 2: sizes of the JPEG thumbnails stored beside it, px; null on failure
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
    String fallbackProfile,
    String storageKey,
    String sha256,
    Long bytes,
    Long crc32,
    List<Integer> thumbnails) {

  /** Schema 2: storage key and checksums instead of a host path (issue 11). */
  public static final int SCHEMA = 2;

  /** The first schema: a host path, no storage key or checksum; still read by the coordinator. */
  public static final int SCHEMA_PATH = 1;

  /** Outcome of one image. */
  public enum Status {
    SUCCEEDED,
    FAILED
  }
}
