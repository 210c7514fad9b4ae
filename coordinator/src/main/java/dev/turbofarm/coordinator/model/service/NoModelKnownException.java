package dev.turbofarm.coordinator.model.service;

import dev.turbofarm.coordinator.error.UnavailableProblem;

/**
 * A job names no model, no default is configured and no worker has reported yet: nothing can say
 * which model renders it. 503: once a worker's first heartbeat arrives a retry succeeds.
 */
public final class NoModelKnownException extends UnavailableProblem {
  public NoModelKnownException() {
    super(
        "no model is known yet: no worker has reported and turbofarm.jobs.default-model is not"
            + " set; start a worker, name a model, or configure the default");
  }
}
