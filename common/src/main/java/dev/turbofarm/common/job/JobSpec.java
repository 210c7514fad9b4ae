package dev.turbofarm.common.job;

import java.util.List;

/**
 * A validated job with every setting resolved: what gets stored and dispatched.
 *
 * @param team the submitting team
 * @param prompt the prompt
 * @param negativePrompt the negative prompt, empty when none
 * @param profile the profile the defaults came from
 * @param width pixels
 * @param height pixels
 * @param steps sampler steps
 * @param guidance guidance scale
 * @param seeds one per image, in index order
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
    List<Long> seeds) {

  public JobSpec {
    seeds = List.copyOf(seeds);
  }

  public int count() {
    return seeds.size();
  }
}
