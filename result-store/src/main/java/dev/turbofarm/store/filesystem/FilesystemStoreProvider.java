package dev.turbofarm.store.filesystem;

import dev.turbofarm.store.ResultStore;
import dev.turbofarm.store.ResultStoreProvider;
import dev.turbofarm.store.StorageSettings;

/** The {@code filesystem} store: files under a root directory. */
public final class FilesystemStoreProvider implements ResultStoreProvider {
  @Override
  public String name() {
    return StorageSettings.FILESYSTEM;
  }

  @Override
  public ResultStore open(StorageSettings settings) {
    if (settings.root() == null) {
      throw new IllegalArgumentException("the filesystem result store needs a root directory");
    }
    return new FilesystemStore(settings.root());
  }
}
