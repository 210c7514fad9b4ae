package dev.turbofarm.common.seed;

import java.util.UUID;

/**
 * Where a job's images come from: every image of a derived job names one parent image.
 *
 * @param parentJobId the parent image's job
 * @param parentIndex the parent image's index in that job
 * @param derivation how the images were derived from it
 */
public record Lineage(UUID parentJobId, int parentIndex, Derivation derivation) {}
