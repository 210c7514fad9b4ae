package dev.turbofarm.coordinator.batch.service;

import java.util.UUID;

/** No batch with this id: answered 404. */
public final class BatchNotFoundException extends RuntimeException {
  public BatchNotFoundException(UUID id) {
    super("no batch " + id);
  }
}
