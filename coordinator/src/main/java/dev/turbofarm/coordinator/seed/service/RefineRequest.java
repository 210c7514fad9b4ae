package dev.turbofarm.coordinator.seed.service;

import dev.turbofarm.common.job.Steps;

/**
 * What a refine call may change: more steps ({@code final} when absent) and the guidance.
 *
 * @param steps a number or a step profile's name, more than the parent's
 * @param guidance a new guidance scale; the parent's when absent
 */
public record RefineRequest(Steps steps, Double guidance) {}
