package dev.turbofarm.coordinator.image.service;

import dev.turbofarm.coordinator.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.UUID;

/**
 * The absolute URLs people get for images: from {@code turbofarm.storage.public-base-url}, else the
 * request's base URI. Never a host path.
 */
@ApplicationScoped
public class ImageUrls {
  /** The thumbnail size the API and manifest link to, px. */
  public static final int DEFAULT_THUMBNAIL = 256;

  private final StorageConfig config;

  ImageUrls(StorageConfig config) {
    this.config = config;
  }

  /** The base URL links start from: the configured public one, else {@code requestBase}. */
  public URI base(URI requestBase) {
    URI b = config.publicBaseUrl().orElse(requestBase);
    String s = b.toString();
    return s.endsWith("/") ? b : URI.create(s + "/");
  }

  public static URI image(URI base, UUID jobId, int index) {
    return base.resolve("api/v1/jobs/" + jobId + "/images/" + index);
  }

  public static URI thumbnail(URI base, UUID jobId, int index, int size) {
    return base.resolve("api/v1/jobs/" + jobId + "/images/" + index + "/thumbnail?size=" + size);
  }
}
