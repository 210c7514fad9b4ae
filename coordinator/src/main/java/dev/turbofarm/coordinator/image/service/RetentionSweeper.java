package dev.turbofarm.coordinator.image.service;

import dev.turbofarm.coordinator.config.StorageConfig;
import dev.turbofarm.coordinator.image.persistence.StoredImageRepository;
import dev.turbofarm.coordinator.image.persistence.StoredImageRepository.Expired;
import dev.turbofarm.store.ResultStore;
import dev.turbofarm.store.StorageKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes images past their team's retention from the result store (thumbnails first, then the PNG)
 * and marks their rows {@code expired_at}; their URLs answer 410 from then on. One coordinator
 * sweeps at a time: each batch runs in a transaction that first takes a PostgreSQL advisory lock
 * ({@code pg_try_advisory_xact_lock}) and skips its turn when another replica holds it. Approved
 * images stay unless the team's policy deletes them too (the predicate {@code
 * image_retention_exempt}, db/README.md). A crash between the delete and the mark leaves the row
 * live; the next sweep deletes nothing more and marks it.
 */
@ApplicationScoped
public class RetentionSweeper {
  private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

  /** Batches per sweep at most: bounds one run; the next sweep goes on. */
  static final int MAX_BATCHES = 200;

  private final StoredImageRepository images;
  private final ResultStore store;
  private final StorageConfig config;
  private final Counter deletedBytes;
  private final Counter deletedImages;

  RetentionSweeper(
      StoredImageRepository images, ResultStore store, StorageConfig config, MeterRegistry m) {
    this.images = images;
    this.store = store;
    this.config = config;
    this.deletedBytes = m.counter("turbofarm.storage.deleted.bytes");
    this.deletedImages = m.counter("turbofarm.storage.deleted.images");
  }

  @Scheduled(
      identity = "turbofarm-retention-sweeper",
      // The default repeats StorageConfig's: the scheduler resolves the key before the mapping.
      every = "${turbofarm.storage.retention.sweep-interval:1h}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warnf(
          "retention sweep failed (%s); the next one runs in %s",
          e.getMessage(), config.retention().sweepInterval());
    }
  }

  /**
   * Sweeps now.
   *
   * @return images deleted; -1 when another coordinator holds the lock
   */
  public int sweep() {
    int total = 0;
    for (int b = 0; b < MAX_BATCHES; b++) {
      int n = QuarkusTransaction.requiringNew().call(this::sweepBatch);
      if (n < 0) {
        return b == 0 ? -1 : total;
      }
      total += n;
      if (n < config.retention().batchSize()) {
        break;
      }
    }
    if (total > 0) {
      LOG.infof("retention deleted %d images from the %s store", total, store.kind());
    }
    return total;
  }

  private int sweepBatch() {
    if (!images.tryRetentionLock()) {
      return -1;
    }
    List<Expired> batch = images.claimExpired(config.retention().batchSize());
    long bytes = 0;
    for (Expired e : batch) {
      for (int size : e.thumbnails()) {
        store.delete(StorageKeys.thumbnailOf(e.storageKey(), size));
      }
      store.delete(e.storageKey());
      bytes += e.bytes() == null ? 0 : e.bytes();
    }
    images.markExpired(batch);
    deletedImages.increment(batch.size());
    deletedBytes.increment(bytes);
    return batch.size();
  }
}
