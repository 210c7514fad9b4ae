package dev.turbofarm.coordinator.job.persistence;

import dev.turbofarm.common.job.JobState;
import java.util.List;
import java.util.UUID;

/**
 * What a result is checked against: the job's state, live attempt and the settings each of its
 * images was dispatched with (its own, or its fallback profile's).
 *
 * @param attempt the job's latest dispatch attempt, 0 when never dispatched
 * @param fallbackProfile null when the job allows no fallback (then the fallback sizes are 0)
 */
public record ResultTarget(
    UUID id,
    JobState state,
    int attempt,
    int imageCount,
    List<Long> seeds,
    int width,
    int height,
    int steps,
    double guidance,
    String fallbackProfile,
    int fallbackWidth,
    int fallbackHeight,
    int fallbackSteps) {

  public ResultTarget {
    seeds = List.copyOf(seeds);
  }
}
