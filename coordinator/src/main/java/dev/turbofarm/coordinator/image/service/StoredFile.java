package dev.turbofarm.coordinator.image.service;

/**
 * A stored object ready to serve.
 *
 * @param key its key in the result store
 * @param contentType {@code image/png} or {@code image/jpeg}
 * @param length its size, bytes
 * @param etag the strong entity tag, unquoted: the image's SHA-256 (a thumbnail's adds its size);
 *     null for images recorded before checksums
 * @param fileName a name for {@code Content-Disposition}
 */
public record StoredFile(
    String key, String contentType, long length, String etag, String fileName) {}
