package dev.turbofarm.common.job;

import dev.turbofarm.common.profile.Profile;
import java.util.List;

/**
 * A validated job with every setting resolved: what gets stored and dispatched.
 *
 * @param team the submitting team
 * @param prompt the prompt
 * @param negativePrompt the negative prompt, empty when none
 * @param profile the size profile the defaults came from
 * @param width pixels
 * @param height pixels
 * @param steps sampler steps
 * @param guidance guidance scale
 * @param seeds one per image, in index order
 * @param fallback the profile to fall back to when the job does not fit a worker; null if none
 * @param stepProfile the step profile the steps came from; null when the caller gave a number
 * @param model the model that renders it
 */
public record JobSpec(
    String team,
    String prompt,
    String negativePrompt,
    String profile,
    int width,
    int height,
    int steps,
    double guidance,
    List<Long> seeds,
    Profile fallback,
    String stepProfile,
    String model) {

  public JobSpec {
    seeds = List.copyOf(seeds);
  }

  public int count() {
    return seeds.size();
  }
}
