package dev.turbofarm.store;

/** No object under the key: never written, or deleted by retention. */
public class ObjectNotFoundException extends StorageException {
  public ObjectNotFoundException(String key, String store) {
    super("no object " + key + " in " + store);
  }
}
