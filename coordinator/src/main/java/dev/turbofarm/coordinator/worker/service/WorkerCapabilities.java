package dev.turbofarm.coordinator.worker.service;

import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.worker.persistence.WorkerRepository;
import dev.turbofarm.coordinator.worker.persistence.WorkerRepository.ModelBudget;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the workers known to the farm can render: a job whose image is larger than the memory budget
 * of every known worker of its model (and whose fallback, if any, is too) is refused at intake with
 * the limit, instead of failing on a worker later. While no worker of the model is known (scaled to
 * zero), nothing is refused here: the job waits.
 */
@ApplicationScoped
public class WorkerCapabilities {
  private final WorkerRepository workers;
  private final FarmConfig config;

  WorkerCapabilities(WorkerRepository workers, FarmConfig config) {
    this.workers = workers;
    this.config = config;
  }

  /**
   * @throws TooLargeForWorkersException when no known worker of {@code model} can render an image
   *     of {@code width x height} nor of the fallback size
   * @param fallbackPixels width x height of the job's fallback profile; 0 for none
   */
  public void requireRenderable(String model, int width, int height, long fallbackPixels) {
    long pixels = (long) width * height;
    ModelBudget b = workers.budget(model, config.jobs().knownModelWindow().toMillis());
    if (b.workers() == 0 || b.maxBudgetPixels() == null) {
      return;
    }
    long limit = b.maxBudgetPixels();
    if (pixels <= limit || (fallbackPixels > 0 && fallbackPixels <= limit)) {
      return;
    }
    throw new TooLargeForWorkersException(model, width, height, limit, b.workers());
  }

  /**
   * Why a QUEUED job of {@code model} waits when no worker can take it now: none running (a farm
   * scaled to zero) or every one cordoned, draining or quarantined; null while one takes jobs.
   */
  public String waitingReason(String model) {
    if (model == null) {
      return null;
    }
    WorkerRepository.Serving s = workers.serving(model, config.leases().workerLease().toMillis());
    if (s.takingJobs() > 0) {
      return null;
    }
    if (s.live() == 0) {
      return "waiting: no worker of model '"
          + model
          + "' is running (the farm may be scaled to zero); the job is dispatched when one starts";
    }
    return "waiting: all "
        + s.live()
        + " running workers of model '"
        + model
        + "' are cordoned, draining, quarantined or still warming up; GET"
        + " /api/v1/admin/workers shows why";
  }
}
