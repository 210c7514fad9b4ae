package dev.turbofarm.common.job;

/**
 * A job as a caller asks for it: everything but the prompt is optional and falls back to the
 * profile. Boxed types so that "absent" differs from zero.
 *
 * @param prompt what to render; required, at most {@link JobRules#MAX_PROMPT_CHARS} characters
 * @param negativePrompt what to steer away from
 * @param profile a use-case profile name; the default profile when absent
 * @param width pixels, overrides the profile
 * @param height pixels, overrides the profile
 * @param steps sampler steps, overrides the profile
 * @param guidance guidance scale, overrides the profile
 * @param seed the first image's seed; image i gets seed + i. Random when absent
 * @param count images for this prompt, 1..8
 * @param team the submitting team; {@code default} when absent
 * @param fallbackProfile a smaller profile the job accepts when its own size does not fit a
 *     worker's memory; none when absent (the job then fails with the reason)
 */
public record JobRequest(
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

  /** A request without a fallback profile. */
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
}
