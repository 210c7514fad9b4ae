package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.coordinator.error.NotFoundProblem;
import java.util.UUID;

/** No batch with this id: answered 404. */
public final class BatchNotFoundException extends NotFoundProblem {
  public BatchNotFoundException(UUID id) {
    super("no batch " + id);
  }
}
