package dev.turbofarm.coordinator.image.service;

import dev.turbofarm.coordinator.config.StorageConfig;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.error.UnavailableProblem;
import dev.turbofarm.coordinator.image.persistence.StoredImageRepository;
import dev.turbofarm.coordinator.image.persistence.StoredImageRow;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.store.ObjectNotFoundException;
import dev.turbofarm.store.ResultStore;
import dev.turbofarm.store.StorageException;
import dev.turbofarm.store.StorageKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Finds a recorded image or thumbnail in the result store and opens it, whole or a range. The key
 * comes from the database (derived from the job id), never from the request. Thumbnails are the
 * files the worker stored beside the image: nothing here decodes or resizes an image.
 */
@ApplicationScoped
public class ImageDownloads {
  private static final Logger LOG = Logger.getLogger(ImageDownloads.class);

  private final StoredImageRepository images;
  private final ResultStore store;
  private final StorageConfig config;

  ImageDownloads(StoredImageRepository images, ResultStore store, StorageConfig config) {
    this.images = images;
    this.store = store;
    this.config = config;
  }

  /**
   * Image {@code index} of the job.
   *
   * @throws ImageNotFoundException when it was never recorded
   * @throws ImageExpiredException when retention deleted it
   */
  public StoredFile image(UUID jobId, int index, Caller caller) {
    StoredImageRow row = row(jobId, index, "image", caller);
    long length =
        row.bytes() != null ? row.bytes() : sizeOrNotFound(row.storageKey(), jobId, index, "image");
    return new StoredFile(
        row.storageKey(), "image/png", length, row.sha256(), jobId + "-" + index + ".png");
  }

  /**
   * The thumbnail of {@code size} px of image {@code index}.
   *
   * @throws InvalidInputProblem naming {@code size} when it is not one the worker makes
   */
  public StoredFile thumbnail(UUID jobId, int index, int size, Caller caller) {
    if (!StorageKeys.THUMBNAIL_SIZES.contains(size)) {
      throw InvalidInputProblem.of(
          "size", "is " + size + "; must be one of " + StorageKeys.THUMBNAIL_SIZES);
    }
    StoredImageRow row = row(jobId, index, "image", caller);
    if (!row.thumbnails().contains(size)) {
      throw new ImageNotFoundException(jobId, index, size + "-px thumbnail of image");
    }
    String key = StorageKeys.thumbnailOf(row.storageKey(), size);
    long length = sizeOrNotFound(key, jobId, index, size + "-px thumbnail of image");
    return new StoredFile(
        key,
        "image/jpeg",
        length,
        row.sha256() == null ? null : row.sha256() + "-t" + size,
        jobId + "-" + index + ".t" + size + ".jpg");
  }

  /** {@code length} bytes of the file from {@code offset}. */
  public InputStream open(StoredFile f, long offset, long length) {
    try {
      return offset == 0 && length == f.length()
          ? store.open(f.key())
          : store.open(f.key(), offset, length);
    } catch (ObjectNotFoundException e) {
      LOG.errorf(
          "recorded image %s is missing from the %s store %s: was it deleted by hand?",
          f.key(), store.kind(), store.describe());
      throw new dev.turbofarm.coordinator.error.NotFoundProblem(
          "the stored object " + f.key() + " is missing from the result store");
    } catch (StorageException e) {
      throw new UnavailableProblem("the result store cannot be read now: " + e.getMessage(), e);
    }
  }

  /**
   * A short-lived URL of the object store to redirect to, when {@code
   * turbofarm.storage.s3.redirect} is on and the store has one.
   */
  public Optional<URI> redirect(StoredFile f) {
    if (!config.s3().redirect()) {
      return Optional.empty();
    }
    return store.presignedGet(f.key(), config.s3().presignTtl());
  }

  /** The image's row; another team's image is not found, as an unknown one (never a 403). */
  private StoredImageRow row(UUID jobId, int index, String what, Caller caller) {
    StoredImageRow row =
        images
            .find(jobId, index)
            .filter(r -> caller.canRead(r.team()))
            .orElseThrow(() -> new ImageNotFoundException(jobId, index, what));
    if (row.expiredAt() != null) {
      throw new ImageExpiredException(jobId, index, row.expiredAt());
    }
    return row;
  }

  private long sizeOrNotFound(String key, UUID jobId, int index, String what) {
    try {
      return store.size(key).orElseThrow(() -> new ImageNotFoundException(jobId, index, what));
    } catch (StorageException e) {
      throw new UnavailableProblem("the result store cannot be read now: " + e.getMessage(), e);
    }
  }
}
