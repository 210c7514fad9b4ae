package dev.turbofarm.coordinator.idempotency.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.coordinator.error.ApiProblem;
import java.util.List;

/** An {@code Idempotency-Key} first used with another request body: 422. */
public final class IdempotencyKeyReusedException extends ApiProblem {
  public IdempotencyKeyReusedException(String key, String firstKind) {
    super(
        "Idempotency-Key '"
            + key
            + "' was first used with another request (a "
            + firstKind
            + " with a different body) within the last 24 h. Send a retry with exactly the first"
            + " body, or use a new key for a new request");
  }

  @Override
  public int status() {
    return 422;
  }

  @Override
  public String type() {
    return "idempotency-key-reused";
  }

  @Override
  public String title() {
    return "Idempotency key reused";
  }

  @Override
  public List<FieldError> errors() {
    return List.of(new FieldError(Idempotency.HEADER, "was first used with another request"));
  }
}
