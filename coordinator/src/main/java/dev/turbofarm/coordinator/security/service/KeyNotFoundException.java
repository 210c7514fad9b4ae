package dev.turbofarm.coordinator.security.service;

import dev.turbofarm.coordinator.error.NotFoundProblem;
import java.util.UUID;

/** No API key has this id: 404. */
public class KeyNotFoundException extends NotFoundProblem {
  public KeyNotFoundException(UUID id) {
    super("no API key " + id + "; GET /api/v1/admin/keys lists them");
  }
}
