package dev.turbofarm.coordinator.image.service;

import dev.turbofarm.coordinator.config.StorageConfig;
import dev.turbofarm.store.ResultStore;
import dev.turbofarm.store.ResultStores;
import dev.turbofarm.store.StorageSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * The result store the coordinator reads, serves and deletes from, as {@code turbofarm.storage}
 * says.
 */
@ApplicationScoped
public class StoreProducer {
  private static final Logger LOG = Logger.getLogger(StoreProducer.class);

  @Produces
  @ApplicationScoped
  ResultStore store(StorageConfig config) {
    ResultStore store = ResultStores.open(settings(config));
    LOG.infof("results are read from the %s store %s", store.kind(), store.describe());
    return store;
  }

  /**
   * Opens the store at start: a store that cannot be reached fails the start with the reason, and a
   * bucket to create ({@code create-bucket}) exists before any worker looks for it.
   */
  void openAtStart(@Observes StartupEvent start, ResultStore store) {
    store.kind();
  }

  void close(@Disposes ResultStore store) {
    store.close();
  }

  static StorageSettings settings(StorageConfig c) {
    if (StorageSettings.S3.equals(c.kind())) {
      StorageConfig.S3 s = c.s3();
      return StorageSettings.s3(
          new StorageSettings.S3(
              s.endpoint().orElse(null),
              s.region(),
              s.bucket(),
              s.prefix().orElse(""),
              s.pathStyle(),
              s.accessKey().orElse(null),
              s.secretKey().orElse(null),
              s.createBucket()));
    }
    if (!StorageSettings.FILESYSTEM.equals(c.kind())) {
      throw new IllegalArgumentException(
          "turbofarm.storage.kind must be filesystem or s3, not " + c.kind());
    }
    return StorageSettings.filesystem(c.root());
  }
}
