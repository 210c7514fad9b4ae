package dev.turbofarm.coordinator.metrics.service;

import java.time.Instant;
import java.util.List;

/**
 * The autoscaling signal and how it was reached ({@code GET /api/v1/admin/capacity}).
 *
 * @param desiredWorkers the workers wanted, bounded by {@code minWorkers} and {@code maxWorkers}
 * @param unboundedWorkers the workers the formula asks for before the bounds
 * @param minWorkers the configured lower bound, workers
 * @param maxWorkers the configured upper bound, workers
 * @param targetDrainSeconds the configured time to drain the backlog in, seconds
 * @param backlogJobs QUEUED and DISPATCHED jobs
 * @param backlogPixelSteps their work, pixel-steps (width x height x images x steps)
 * @param measuredPixelStepsPerSecond one worker's measured throughput over every size, pixel-steps
 *     per second; null while nothing was rendered within the window
 * @param defaultPixelStepsPerSecond the configured throughput used without a measurement
 * @param sizes the backlog by image size, with the throughput used for each
 * @param computedAt when this was computed
 */
public record CapacityReport(
    long desiredWorkers,
    long unboundedWorkers,
    int minWorkers,
    int maxWorkers,
    double targetDrainSeconds,
    long backlogJobs,
    double backlogPixelSteps,
    Double measuredPixelStepsPerSecond,
    double defaultPixelStepsPerSecond,
    List<SizeDemand> sizes,
    Instant computedAt) {

  /**
   * One image size of the backlog.
   *
   * @param width px
   * @param height px
   * @param jobs QUEUED and DISPATCHED jobs of this size
   * @param pixelSteps their work, pixel-steps
   * @param pixelStepsPerSecond one worker's throughput used for this size
   * @param throughputSource {@code size} (measured on this size), {@code overall} (measured over
   *     every size) or {@code default} (configured)
   * @param workerSeconds the worker-seconds this size needs
   */
  public record SizeDemand(
      int width,
      int height,
      long jobs,
      double pixelSteps,
      double pixelStepsPerSecond,
      String throughputSource,
      double workerSeconds) {}
}
