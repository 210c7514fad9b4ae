package dev.turbofarm.common.messaging;

import java.util.List;
import java.util.UUID;

/**
 * A job as dispatched to workers on its model's jobs topic ({@link Topics#jobsFor}). One record
 * renders {@code seeds.size()} images that share every setting but the seed.
 *
 * @param schema message schema version, {@link #SCHEMA}
 * @param jobId the job's id; result file paths derive from it
 * @param attempt dispatch attempt, 1 for the first; results name the attempt that made them
 * @param team the submitting team (fair share, quotas)
 * @param prompt the text prompt
 * @param negativePrompt the negative prompt, empty when none
 * @param profile the use-case profile the settings came from
 * @param width image width in pixels, a multiple of 64
 * @param height image height in pixels, a multiple of 64
 * @param steps sampler steps
 * @param guidance classifier-free guidance scale; 1 or less means none
 * @param seeds one seed per image, in image-index order
 * @param queuedAtMs when the job was accepted, epoch milliseconds
 * @param dispatchedAtMs when this attempt was sent, epoch milliseconds
 * @param fallback smaller settings the job accepts when its own do not fit a worker's memory; null
 *     when the job allows none
 * @param model the model that must render it (a worker serving another model refuses it); null from
 *     producers older than this field, whose jobs any worker of their topic renders
 * @param priority the job's priority: above 0 for interactive jobs, which a worker renders before
 *     the bulk jobs of the same poll and in batches of their own; 0 for bulk, and when absent (an
 *     older coordinator)
 */
public record JobMessage(
    int schema,
    UUID jobId,
    int attempt,
    String team,
    String prompt,
    String negativePrompt,
    String profile,
    int width,
    int height,
    int steps,
    double guidance,
    List<Long> seeds,
    long queuedAtMs,
    long dispatchedAtMs,
    Fallback fallback,
    String model,
    int priority) {

  /** Schema 1; {@code model} was added as an optional field (null from older producers). */
  public static final int SCHEMA = 1;

  public JobMessage {
    seeds = List.copyOf(seeds);
    negativePrompt = negativePrompt == null ? "" : negativePrompt;
  }

  /** This job for {@code model} (jobs queued before they named a model get the farm's default). */
  public JobMessage withModel(String model) {
    return new JobMessage(
        schema,
        jobId,
        attempt,
        team,
        prompt,
        negativePrompt,
        profile,
        width,
        height,
        steps,
        guidance,
        seeds,
        queuedAtMs,
        dispatchedAtMs,
        fallback,
        model,
        priority);
  }

  /** Interactive: rendered before bulk work (priority above 0). */
  public boolean interactive() {
    return priority > 0;
  }

  /** Images this job renders. */
  public int count() {
    return seeds.size();
  }

  /** Jobs with equal keys can share one sampler batch. */
  public BatchKey batchKey() {
    return new BatchKey(width, height, steps, guidance);
  }

  /**
   * Settings a job falls back to when it does not fit (resolved from a profile by the coordinator).
   *
   * @param profile the fallback profile's name, recorded with the image
   * @param width pixels
   * @param height pixels
   * @param steps sampler steps
   */
  public record Fallback(String profile, int width, int height, int steps) {}

  /** What makes jobs batch-compatible: the tensor shapes and the sampler schedule. */
  public record BatchKey(int width, int height, int steps, double guidance) {}
}
