package dev.turbofarm.coordinator.model.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.coordinator.error.ApiProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job names a model that no known worker serves: 422, naming the model and the models the farm
 * knows, instead of a job that would wait for a worker that never comes.
 */
public final class UnknownModelException extends ApiProblem {
  private final transient String field;
  private final transient List<String> known;

  public UnknownModelException(String field, String model, List<String> known) {
    super(
        "model '"
            + model
            + "' is served by no known worker; known models: "
            + (known.isEmpty() ? "(none yet)" : String.join(", ", known))
            + ". Name one of them, or start a worker of that model");
    this.field = field;
    this.known = List.copyOf(known);
  }

  @Override
  public int status() {
    return 422;
  }

  @Override
  public String type() {
    return "unknown-model";
  }

  @Override
  public String title() {
    return "Unknown model";
  }

  @Override
  public List<FieldError> errors() {
    return List.of(
        new FieldError(field, "no known worker serves it; known: " + String.join(", ", known)));
  }

  @Override
  public Map<String, Object> extensions() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("knownModels", known);
    return m;
  }
}
