package dev.turbofarm.store;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Opens the result store that settings name, from the providers on the class path. */
public final class ResultStores {
  private ResultStores() {}

  /**
   * @throws IllegalArgumentException for a kind no provider has, naming the kinds there are
   * @throws StorageException when the store cannot be reached or written
   */
  public static ResultStore open(StorageSettings settings) {
    Map<String, ResultStoreProvider> byName = new TreeMap<>();
    for (ResultStoreProvider p : ServiceLoader.load(ResultStoreProvider.class)) {
      byName.putIfAbsent(p.name(), p);
    }
    ResultStoreProvider p = byName.get(settings.kind());
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown result store '" + settings.kind() + "'; known: " + byName.keySet());
    }
    return p.open(settings);
  }
}
