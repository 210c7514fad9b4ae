package dev.turbofarm.coordinator.seed.service;

import dev.turbofarm.common.job.Steps;
import java.util.List;

/**
 * What a variants call may change; everything absent is the parent's.
 *
 * @param pool offsets to add to the parent's seed; the team's pool when absent
 * @param prompt a new prompt
 * @param negativePrompt a new negative prompt
 * @param profile another size profile (its size replaces the parent's)
 * @param steps a number or a step profile's name; the parent's when absent
 */
public record VariantsRequest(
    List<Long> pool, String prompt, String negativePrompt, String profile, Steps steps) {}
