package dev.turbofarm.store;

/**
 * A kind of result store, found by {@link java.util.ServiceLoader} (listed in {@code
 * META-INF/services/dev.turbofarm.store.ResultStoreProvider}) and chosen by {@link #name()}.
 */
public interface ResultStoreProvider {
  /** The name settings choose it by ({@link StorageSettings#kind()}). */
  String name();

  /** Opens a store; checks that it can be reached and written to, failing with the reason. */
  ResultStore open(StorageSettings settings);
}
