package dev.turbofarm.coordinator.error;

import dev.turbofarm.common.job.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** Bad input: 400, naming every offending field. Never worth a retry as it is. */
public class InvalidInputProblem extends ApiProblem {
  private final transient List<FieldError> errors;

  public InvalidInputProblem(List<FieldError> errors) {
    this(
        errors.stream().map(e -> e.field() + ": " + e.problem()).collect(Collectors.joining("; ")),
        errors);
  }

  public InvalidInputProblem(String detail, List<FieldError> errors) {
    super(detail);
    this.errors = List.copyOf(errors);
  }

  /** One bad field. */
  public static InvalidInputProblem of(String field, String problem) {
    return new InvalidInputProblem(List.of(new FieldError(field, problem)));
  }

  @Override
  public int status() {
    return 400;
  }

  @Override
  public String type() {
    return "invalid-request";
  }

  @Override
  public String title() {
    return "Invalid request";
  }

  @Override
  public List<FieldError> errors() {
    return errors;
  }
}
