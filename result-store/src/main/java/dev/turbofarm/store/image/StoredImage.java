package dev.turbofarm.store.image;

import java.util.List;

/**
 * An image as it is in the result store, after {@link ImageWriter#write}: what the worker publishes
 * and the coordinator records.
 *
 * @param key the PNG's storage key
 * @param sha256 lower-case hex SHA-256 of the stored PNG's bytes (the first write's, if it was
 *     there already)
 * @param bytes the PNG's size, bytes
 * @param crc32 CRC-32 of the PNG's bytes, for ZIP entries written without a second pass
 * @param thumbnails thumbnail sizes stored beside it, px
 * @param created whether this write created the PNG (false: an earlier attempt's image stands)
 */
public record StoredImage(
    String key, String sha256, long bytes, long crc32, List<Integer> thumbnails, boolean created) {}
