package dev.turbofarm.coordinator.seed.service;

import java.util.UUID;

/**
 * One image in a lineage, rendered or not yet.
 *
 * @param depth generations from the image asked about: ancestors count up from 0 (the image
 *     itself), descendants from 1 (its children)
 * @param state its job's state
 * @param derivation {@code variant}, {@code refine}, {@code rerun}; null for a root
 * @param parentJobId the parent image's job; null for a root
 * @param parentIndex the parent image's index; null for a root
 * @param seedOffset its seed minus its parent's, mod 2^32 (a variant's pool offset); null while not
 *     rendered or for a root
 * @param stepProfile the step profile its steps came from; null for a number
 * @param storageKey its key in the result store (GET /api/v1/jobs/{jobId}/images/{index} serves
 *     it); null while not rendered
 * @param verdict its review's verdict, null when not reviewed
 */
public record LineageImage(
    int depth,
    UUID jobId,
    int index,
    String team,
    String state,
    String prompt,
    String derivation,
    UUID parentJobId,
    Integer parentIndex,
    long seed,
    Long seedOffset,
    int width,
    int height,
    int steps,
    String stepProfile,
    double guidance,
    String model,
    Double quality,
    String storageKey,
    String verdict,
    Integer rating) {}
