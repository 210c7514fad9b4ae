package dev.turbofarm.common.job;

import java.util.List;

/**
 * A job as a caller asks for it: everything but the prompt is optional and falls back to the
 * profiles. Boxed types so that "absent" differs from zero.
 *
 * @param prompt what to render; required, at most {@link JobRules#MAX_PROMPT_CHARS} characters
 * @param negativePrompt what to steer away from
 * @param profile a use-case (size) profile name; the default profile when absent
 * @param width pixels, overrides the profile
 * @param height pixels, overrides the profile
 * @param steps sampler steps: a number, or a step profile's name ({@code explore}, {@code daily},
 *     {@code final}); the size profile's default step profile when absent
 * @param guidance guidance scale, overrides the profile
 * @param seed the first image's seed; image i gets seed + i. Random when absent
 * @param count images for this prompt, 1..8
 * @param team the submitting team; {@code default} when absent
 * @param fallbackProfile a smaller profile the job accepts when its own size does not fit a
 *     worker's memory; none when absent (the job then fails with the reason)
 * @param model the model to render with, e.g. {@code turbofarm-tiny@1.4}; the farm's default model
 *     when absent
 * @param seeds every image's own seed, in index order (variants: the parent's seed plus each pool
 *     offset); excludes {@code seed}, and {@code count} must be absent or equal its size
 */
public record JobRequest(
    String prompt,
    String negativePrompt,
    String profile,
    Integer width,
    Integer height,
    Steps steps,
    Double guidance,
    Long seed,
    Integer count,
    String team,
    String fallbackProfile,
    String model,
    List<Long> seeds) {

  /** A request with numeric steps, without a fallback profile, model or seed list. */
  public JobRequest(
      String prompt,
      String negativePrompt,
      String profile,
      Integer width,
      Integer height,
      Integer steps,
      Double guidance,
      Long seed,
      Integer count,
      String team) {
    this(prompt, negativePrompt, profile, width, height, steps, guidance, seed, count, team, null);
  }

  /** A request with numeric steps, without a model or seed list. */
  public JobRequest(
      String prompt,
      String negativePrompt,
      String profile,
      Integer width,
      Integer height,
      Integer steps,
      Double guidance,
      Long seed,
      Integer count,
      String team,
      String fallbackProfile) {
    this(
        prompt,
        negativePrompt,
        profile,
        width,
        height,
        Steps.ofNullable(steps),
        guidance,
        seed,
        count,
        team,
        fallbackProfile,
        null,
        null);
  }

  /** The same request for {@code team} (the caller's, when the body named none or its own). */
  public JobRequest withTeam(String team) {
    return new JobRequest(
        prompt,
        negativePrompt,
        profile,
        width,
        height,
        steps,
        guidance,
        seed,
        count,
        team,
        fallbackProfile,
        model,
        seeds);
  }
}
