package dev.turbofarm.store.s3;

import dev.turbofarm.store.ResultStore;
import dev.turbofarm.store.ResultStoreProvider;
import dev.turbofarm.store.StorageSettings;

/** The {@code s3} store: any S3-compatible object store. */
public final class S3StoreProvider implements ResultStoreProvider {
  @Override
  public String name() {
    return StorageSettings.S3;
  }

  @Override
  public ResultStore open(StorageSettings settings) {
    if (settings.s3() == null) {
      throw new IllegalArgumentException("the s3 result store needs its bucket settings");
    }
    return new S3Store(settings.s3());
  }
}
