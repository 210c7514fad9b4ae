package dev.turbofarm.common.job;

import java.util.List;
import java.util.stream.Collectors;

/** A job request that breaks the rules; names every offending field. Never worth a retry. */
public final class InvalidJobException extends RuntimeException {
  private final transient List<FieldError> errors;

  public InvalidJobException(List<FieldError> errors) {
    super(
        errors.stream().map(e -> e.field() + ": " + e.problem()).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
