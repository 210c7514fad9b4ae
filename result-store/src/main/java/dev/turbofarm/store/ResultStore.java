package dev.turbofarm.store;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where rendered images and their thumbnails are kept, by key ({@link StorageKeys}). Workers write,
 * coordinators read, serve and, for retention, delete. Objects are written once: {@link
 * #putIfAbsent} is atomic (no reader sees part of an object) and the first write wins, so the bytes
 * behind a key, and behind its URL, never change. Implementations are thread-safe and found by
 * {@link ResultStores#open} through {@link ResultStoreProvider}.
 */
public interface ResultStore extends AutoCloseable {

  /** The provider's name: {@code filesystem}, {@code s3}. */
  String kind();

  /** Where it stores, for logs: a directory or {@code s3://bucket/prefix}. */
  String describe();

  /**
   * Creates the object unless one exists under the key; an existing object is left as it is.
   *
   * @return true when this call created it, false when an object was already there
   * @throws StorageException when it could not be written
   */
  boolean putIfAbsent(String key, byte[] bytes, String contentType);

  /** The object's size in bytes; empty when there is none. */
  Optional<Long> size(String key);

  /**
   * The whole object.
   *
   * @throws ObjectNotFoundException when there is none
   */
  InputStream open(String key);

  /**
   * {@code length} bytes of the object from {@code offset}.
   *
   * @throws ObjectNotFoundException when there is none
   */
  InputStream open(String key, long offset, long length);

  /**
   * Deletes the object; nothing happens when there is none.
   *
   * @return whether an object was there
   */
  boolean delete(String key);

  /**
   * A URL a client may GET the object from directly for {@code ttl}, or empty when the store has
   * none (the filesystem store).
   */
  default Optional<URI> presignedGet(String key, Duration ttl) {
    return Optional.empty();
  }

  /** The file behind the key, for stores that have one (the filesystem store); else empty. */
  default Optional<Path> localPath(String key) {
    return Optional.empty();
  }

  @Override
  void close();
}
