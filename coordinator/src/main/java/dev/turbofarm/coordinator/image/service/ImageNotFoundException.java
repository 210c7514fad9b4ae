package dev.turbofarm.coordinator.image.service;

import dev.turbofarm.coordinator.error.NotFoundProblem;
import java.util.UUID;

/** No such image (or thumbnail): never rendered, or not yet. */
public class ImageNotFoundException extends NotFoundProblem {
  public ImageNotFoundException(UUID jobId, int index, String what) {
    super("job " + jobId + " has no " + what + " " + index + " (not rendered, or not yet)");
  }
}
