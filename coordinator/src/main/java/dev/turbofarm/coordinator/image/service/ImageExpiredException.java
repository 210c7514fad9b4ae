package dev.turbofarm.coordinator.image.service;

import dev.turbofarm.coordinator.error.GoneProblem;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Retention deleted the image: 410, for good. */
public class ImageExpiredException extends GoneProblem {
  public ImageExpiredException(UUID jobId, int index, OffsetDateTime at) {
    super(
        "image "
            + index
            + " of job "
            + jobId
            + " was deleted by its team's retention policy at "
            + at
            + "; its seed and settings are kept, so it can be rendered again");
  }
}
