package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.persistence.JobQueueRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Re-queues dispatched jobs whose lease ran out (their worker went silent, or the dispatch never
 * reached one), so no job stays DISPATCHED forever; a job out of attempts ends FAILED instead. Runs
 * on every replica: the guarded UPDATE makes concurrent reapers harmless.
 */
@ApplicationScoped
public class LeaseReaper {
  private static final Logger LOG = Logger.getLogger(LeaseReaper.class);

  /** Most expired jobs handled per pass, jobs: bounds one statement's locks. */
  static final int BATCH = 1000;

  private final JobQueueRepository queue;
  private final FarmConfig config;
  private final Counter expired;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "turbofarm-lease-reaper");
            t.setDaemon(true);
            return t;
          });
  private long startedAtNs;

  LeaseReaper(JobQueueRepository queue, FarmConfig config, MeterRegistry metrics) {
    this.queue = queue;
    this.config = config;
    this.expired = metrics.counter("turbofarm.leases.expired");
  }

  void start(@Observes StartupEvent ev) {
    startedAtNs = System.nanoTime();
    long every = config.leases().reaperInterval().toMillis();
    timer.scheduleWithFixedDelay(this::reapSafely, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent ev) {
    timer.shutdownNow();
  }

  private void reapSafely() {
    if (System.nanoTime() - startedAtNs < config.leases().startupGrace().toNanos()) {
      return;
    }
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
