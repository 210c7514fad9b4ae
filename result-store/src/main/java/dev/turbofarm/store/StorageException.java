package dev.turbofarm.store;

/**
 * A result store could not do what was asked: the volume is not writable, the object store is
 * unreachable or refused the request. The message names the key and the store.
 */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
