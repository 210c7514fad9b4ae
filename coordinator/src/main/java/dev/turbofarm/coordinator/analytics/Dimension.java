package dev.turbofarm.coordinator.analytics;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a summary can group by: its API name, its SQL over table alias {@code i} (the image rows, or
 * {@code image_daily} whose columns have the same names), and whether a day's rollup keeps it.
 */
public enum Dimension {
  TEAM("team", true),
  PROFILE("profile", true),
  STEP_PROFILE("stepProfile", true),
  STEPS("steps", true),
  MODEL("model", true),
  WIDTH("width", true),
  HEIGHT("height", true),
  SIZE("size", true),
  GUIDANCE("guidance", true),
  DAY("day", true),
  VERDICT("verdict", false),
  DERIVATION("derivation", false),
  BATCH("batch", false);

  private final String apiName;
  private final boolean rolledUp;

  Dimension(String apiName, boolean rolledUp) {
    this.apiName = apiName;
    this.rolledUp = rolledUp;
  }

  /** The name in {@code ?groupBy=} and in the answer's group keys. */
  public String apiName() {
    return apiName;
  }

  /** Whether a day's rollup keeps this dimension, so a summary by it may read rollups. */
  public boolean rolledUp() {
    return rolledUp;
  }

  /** The dimension of an API name, also accepting {@code step_profile} and {@code model_id}. */
  public static Optional<Dimension> of(String name) {
    String n = name.trim();
    if (n.equals("step_profile")) {
      return Optional.of(STEP_PROFILE);
    }
    if (n.equals("model_id")) {
      return Optional.of(MODEL);
    }
    return Arrays.stream(values()).filter(d -> d.apiName.equals(n)).findFirst();
  }
}
