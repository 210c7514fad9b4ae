package dev.turbofarm.coordinator.metrics.service;

import java.util.List;

/**
 * The autoscaling formula (docs/operations.md, "Autoscaling signal"): for each image size s in the
 * backlog, the worker-seconds it needs are {@code B_s / T_s}, where {@code B_s} is the size's
 * backlog in pixel-steps (width x height x images x steps of every QUEUED and DISPATCHED job) and
 * {@code T_s} one worker's throughput on that size in pixel-steps per second (measured for the
 * size; else measured over all sizes; else the configured default). The workers wanted are {@code
 * ceil(sum_s(B_s / T_s) / D)} for the target drain time {@code D} in seconds, bounded by the
 * configured minimum and maximum.
 */
public final class CapacityPlan {
  private CapacityPlan() {}

  /**
   * One image size's share of the backlog.
   *
   * @param pixelSteps the backlog of this size, pixel-steps
   * @param pixelStepsPerSecond one worker's throughput on this size, pixel-steps per second (> 0)
   */
  public record Demand(double pixelSteps, double pixelStepsPerSecond) {
    /** The worker-seconds this size's backlog needs. */
    public double workerSeconds() {
      return pixelSteps / pixelStepsPerSecond;
    }
  }

  /**
   * The workers that drain {@code demands} within {@code targetDrainSeconds}, unbounded (0 for an
   * empty backlog).
   */
  public static long unbounded(List<Demand> demands, double targetDrainSeconds) {
    if (targetDrainSeconds <= 0) {
      throw new IllegalArgumentException(
          "the target drain time must be positive, was " + targetDrainSeconds + " s");
    }
    double workerSeconds = 0;
    for (Demand d : demands) {
      if (d.pixelStepsPerSecond() <= 0) {
        throw new IllegalArgumentException(
            "a throughput must be positive, was " + d.pixelStepsPerSecond());
      }
      workerSeconds += d.workerSeconds();
    }
    // A hair of tolerance: 10.0000000001 workers from rounding is 10, not 11.
    return (long) Math.ceil(workerSeconds / targetDrainSeconds - 1e-9);
  }

  /** {@link #unbounded} bounded by {@code min} and {@code max}. */
  public static long desired(List<Demand> demands, double targetDrainSeconds, int min, int max) {
    long raw = unbounded(demands, targetDrainSeconds);
    return Math.max(min, Math.min(max, raw));
  }
}
