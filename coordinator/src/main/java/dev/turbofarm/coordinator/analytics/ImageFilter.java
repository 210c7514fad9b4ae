package dev.turbofarm.coordinator.analytics;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Which image rows an analytics query reads; every null field is no condition.
 *
 * @param teams the teams the caller may read; null for all
 * @param team one team
 * @param batchId one catalogue
 * @param model the model id that rendered it
 * @param profile the size profile it was rendered at
 * @param stepProfile the step profile its steps came from
 * @param from rendered at or after
 * @param to rendered before
 * @param qualityMin quality at least
 * @param qualityMax quality at most
 * @param verdict {@code approved}, {@code rejected} or {@code unreviewed}
 * @param prompt text the prompt contains, case-insensitive, any language
 * @param derivation {@code variant}, {@code refine}, {@code rerun}, or {@code none} for roots
 */
public record ImageFilter(
    Set<String> teams,
    String team,
    UUID batchId,
    String model,
    String profile,
    String stepProfile,
    Integer width,
    Integer height,
    Integer steps,
    Double guidance,
    Long seed,
    Instant from,
    Instant to,
    Double qualityMin,
    Double qualityMax,
    String verdict,
    String prompt,
    String derivation) {

  /** Whether only the dimensions a day's rollup keeps are filtered on (and the time). */
  public boolean onRollupDimensionsOnly() {
    return batchId == null
        && seed == null
        && qualityMin == null
        && qualityMax == null
        && verdict == null
        && prompt == null
        && derivation == null;
  }
}
