package dev.turbofarm.coordinator.job.service;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Where an image is: {@code <result root>/<first two hex digits of the job id>/<job
 * id>/<index>.png}, derived here from the job id and index alone. The path a worker's result names
 * is checked against it, never stored or served as sent.
 */
public final class ResultPaths {
  private ResultPaths() {}

  /** {@code ab/<job id>/<index>.png}, relative to the result root. */
  public static String key(UUID jobId, int index) {
    String id = jobId.toString();
    return id.substring(0, 2) + "/" + id + "/" + index + ".png";
  }

  /** The image's absolute path under {@code root}. */
  public static String path(Path root, UUID jobId, int index) {
    return root.toAbsolutePath().normalize().resolve(key(jobId, index)).toString();
  }
}
