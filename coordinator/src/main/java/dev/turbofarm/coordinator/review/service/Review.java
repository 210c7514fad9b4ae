package dev.turbofarm.coordinator.review.service;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An image's current review.
 *
 * @param verdict {@code approved}, {@code rejected}, or null (no verdict)
 * @param rating 1..5, or null
 * @param reviewer who gave it (the key's holder)
 * @param reviewedAt when
 */
public record Review(
    UUID jobId,
    int index,
    String verdict,
    Integer rating,
    String note,
    String reviewer,
    OffsetDateTime reviewedAt) {}
