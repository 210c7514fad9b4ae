package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.persistence.JobQueueRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Re-queues dispatched jobs whose lease ran out (their worker went silent, or the dispatch never
 * reached one), so no job stays DISPATCHED forever; a job out of attempts ends FAILED instead. Runs
 * on every replica: the guarded UPDATE makes concurrent reapers harmless. Leases are set and
 * compared on the database's clock only.
 */
@ApplicationScoped
public class LeaseReaper {
  private static final Logger LOG = Logger.getLogger(LeaseReaper.class);

  /** Most expired jobs handled per pass, jobs: bounds one statement's locks. */
  static final int BATCH = 1000;

  private final JobQueueRepository queue;
  private final RecorderProgress recorders;
  private final FarmConfig config;
  private final Counter expired;
  private volatile long lastWaitLogNs;

  LeaseReaper(
      JobQueueRepository queue,
      RecorderProgress recorders,
      FarmConfig config,
      MeterRegistry metrics) {
    this.queue = queue;
    this.recorders = recorders;
    this.config = config;
    this.expired = metrics.counter("turbofarm.leases.expired");
  }

  @Scheduled(
      identity = "turbofarm-lease-reaper",
      // The defaults repeat FarmConfig's: the scheduler resolves the keys before the mapping.
      every = "${turbofarm.leases.reaper-interval:1s}",
      delayed = "${turbofarm.leases.startup-grace:20s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void reapSafely() {
    try {
      reap();
    } catch (RuntimeException e) {
      LOG.warnf(
          "lease check failed (%s); retrying in %s",
          e.getMessage(), config.leases().reaperInterval());
    }
  }

  /** Re-queues or fails every job whose lease ran out; returns how many. */
  int reap() {
    var behind = recorders.behind(config.leases().recorderStall());
    if (behind.isPresent()) {
      // The silence may be ours: what workers sent is not read yet.
      long now = System.nanoTime();
      if (now - lastWaitLogNs > java.util.concurrent.TimeUnit.SECONDS.toNanos(10)) {
        lastWaitLogNs = now;
        LOG.warnf(
            "lease check waits: %s; no lease runs out until results and heartbeats are read",
            behind.get());
      }
      return 0;
    }
    int max = config.jobs().maxAttempts();
    int n = 0;
    for (JobQueueRepository.Expired e : queue.reapExpired(max, BATCH)) {
      n++;
      expired.increment();
      if (e.state() == JobState.FAILED) {
        LOG.errorf(
            "job %s FAILED: lease ran out on attempt %d of %d (worker %s silent); it is in the"
                + " dead-letter list",
            e.id(), e.attempt(), max, e.workerId());
      } else {
        LOG.warnf(
            "job %s re-queued: lease ran out on attempt %d (worker %s silent)",
            e.id(), e.attempt(), e.workerId() == null ? "(none took it)" : e.workerId());
      }
    }
    return n;
  }
}
