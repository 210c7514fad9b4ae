package dev.turbofarm.coordinator.image.persistence;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * An image's storage facts, with its job's team.
 *
 * @param sha256 hex SHA-256 of the stored PNG; null for images recorded before checksums
 * @param bytes the PNG's size; null before checksums
 * @param crc32 the PNG's CRC-32; null before checksums
 * @param thumbnails sizes stored beside it, px
 * @param expiredAt when retention deleted it; null while it is stored
 */
public record StoredImageRow(
    UUID jobId,
    int index,
    String team,
    String storageKey,
    String sha256,
    Long bytes,
    Long crc32,
    List<Integer> thumbnails,
    OffsetDateTime expiredAt) {}
