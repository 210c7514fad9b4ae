package dev.turbofarm.coordinator.worker.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.coordinator.error.ApiProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's image exceeds the memory budget of every known worker of its model: 422 with the limit.
 */
public final class TooLargeForWorkersException extends ApiProblem {
  private final transient long limitPixels;
  private final transient String model;

  public TooLargeForWorkersException(
      String model, int width, int height, long limitPixels, int workers) {
    super(
        "an image of "
            + width
            + "x"
            + height
            + " = "
            + ((long) width * height)
            + " pixels is larger than any of the "
            + workers
            + " known workers of model '"
            + model
            + "' can render: their largest memory budget is "
            + limitPixels
            + " pixels per batch. Ask for a smaller size, allow a fallbackProfile that fits, or"
            + " start a worker with a larger TURBOFARM_MEMORY_BUDGET_PIXELS");
    this.limitPixels = limitPixels;
    this.model = model;
  }

  @Override
  public int status() {
    return 422;
  }

  @Override
  public String type() {
    return "too-large-for-workers";
  }

  @Override
  public String title() {
    return "No worker can render this size";
  }

  @Override
  public List<FieldError> errors() {
    return List.of(
        new FieldError(
            "width",
            "width x height exceeds the largest worker memory budget, " + limitPixels + " pixels"));
  }

  @Override
  public Map<String, Object> extensions() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("limitPixels", limitPixels);
    m.put("model", model);
    return m;
  }
}
