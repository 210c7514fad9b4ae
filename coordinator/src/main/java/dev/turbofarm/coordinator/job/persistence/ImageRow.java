package dev.turbofarm.coordinator.job.persistence;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A row of the {@code image} table.
 *
 * @param finishedAt when the worker published the result, by the worker's clock
 * @param createdAt when the coordinator recorded it, by the database's clock
 * @param storageKey its key in the result store
 * @param sha256 of the stored PNG; null for images recorded before checksums
 * @param bytes the PNG's size; null before checksums
 * @param thumbnails sizes stored beside it, px
 * @param expiredAt when retention deleted it; null while stored
 * @param stepProfile the step profile its steps came from; null for explicit steps
 * @param seedOffset its seed minus its parent's, mod 2^32; null without a parent
 * @param verdict {@code approved}, {@code rejected}, or null when not reviewed
 * @param rating the reviewer's 1..5, or null
 */
public record ImageRow(
    int index,
    String storageKey,
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
    String fallbackProfile,
    OffsetDateTime finishedAt,
    OffsetDateTime createdAt,
    String sha256,
    Long bytes,
    List<Integer> thumbnails,
    OffsetDateTime expiredAt,
    String stepProfile,
    Long seedOffset,
    String verdict,
    Integer rating) {}
