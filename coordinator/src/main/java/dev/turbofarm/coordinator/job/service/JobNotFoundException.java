package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.coordinator.error.NotFoundProblem;
import java.util.UUID;

/** No job has this id. */
public class JobNotFoundException extends NotFoundProblem {
  public JobNotFoundException(UUID id) {
    super("no job with id " + id);
  }
}
