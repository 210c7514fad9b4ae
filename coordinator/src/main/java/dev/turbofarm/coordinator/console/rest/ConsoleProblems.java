package dev.turbofarm.coordinator.console.rest;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.InvalidJobException;
import dev.turbofarm.coordinator.error.ApiProblem;
import java.util.List;

/** The messages a console form shows for a rejected request: the API's problem, field by field. */
final class ConsoleProblems {
  private ConsoleProblems() {}

  /** The lines to show for {@code e}, or null when it is no problem a person can fix. */
  static List<String> of(RuntimeException e) {
    if (e instanceof InvalidJobException i) {
      return lines(i.errors(), i.getMessage());
    }
    if (e instanceof ApiProblem p) {
      return lines(p.errors(), p.detail());
    }
    return null;
  }

  private static List<String> lines(List<FieldError> errors, String detail) {
    if (errors == null || errors.isEmpty()) {
      return List.of(detail == null ? "rejected" : detail);
    }
    return errors.stream().map(f -> f.field() + ": " + f.problem()).toList();
  }
}
