package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.persistence.ImageRepository;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records workers' results, idempotently: one image row per (job, index) by primary key, so a
 * redelivered or duplicated result changes nothing; a job turns SUCCEEDED when all its images are
 * in, and a terminal job never changes again. A failed image is fenced by attempt: only the job's
 * live attempt may re-queue it (retriable, attempts left) or fail it, so a late failure from a
 * stale attempt never overwrites a newer outcome.
 */
@ApplicationScoped
public class ResultService {
  private static final Logger LOG = Logger.getLogger(ResultService.class);

  private final JobRepository jobs;
  private final ImageRepository images;
  private final FarmConfig config;
  private final Counter recorded;
  private final Counter duplicates;
  private final Counter failed;
  private final Counter retried;
  private final Counter stale;

  ResultService(
      JobRepository jobs, ImageRepository images, FarmConfig config, MeterRegistry metrics) {
    this.jobs = jobs;
    this.images = images;
    this.config = config;
    this.recorded = metrics.counter("turbofarm.images.recorded");
    this.duplicates = metrics.counter("turbofarm.results.duplicates");
    this.failed = metrics.counter("turbofarm.jobs.failed");
    this.retried = metrics.counter("turbofarm.jobs.retried");
    this.stale = metrics.counter("turbofarm.results.stale");
  }

  /**
   * Records one poll's results in one transaction: the jobs' rows locked in id order first (the
   * lock order of every writer of several job rows; without it this transaction and a heartbeat's
   * lease extension, each holding some of the same jobs, deadlocked under load), then one INSERT of
   * every image, the failures, and one UPDATE that completes the jobs whose images are all in.
   */
  @Transactional
  public void record(List<ResultMessage> results) {
    List<ResultMessage> ok = new ArrayList<>();
    Map<UUID, ResultMessage> failures = new LinkedHashMap<>();
    Set<UUID> touched = new LinkedHashSet<>();
    Set<UUID> succeeded = new LinkedHashSet<>();
    for (ResultMessage m : results) {
      touched.add(m.jobId());
      if (m.status() == ResultMessage.Status.SUCCEEDED) {
        ok.add(m);
        succeeded.add(m.jobId());
      } else {
        failures.putIfAbsent(m.jobId(), m);
      }
    }
    jobs.lockInIdOrder(touched);
    int inserted = images.insertAll(ok);
    recorded.increment(inserted);
    duplicates.increment(ok.size() - inserted);
    for (ResultMessage m : failures.values()) {
      fail(m);
    }
    jobs.completeIfRendered(succeeded);
    if (LOG.isDebugEnabled() && !ok.isEmpty()) {
      LOG.debugf(
          "recorded %d results; newest published %d ms ago",
          ok.size(), System.currentTimeMillis() - ok.get(ok.size() - 1).finishedAtMs());
    }
  }

  private void fail(ResultMessage m) {
    int maxAttempts = config.jobs().maxAttempts();
    Optional<JobState> now =
        jobs.failAttempt(
            m.jobId(),
            m.attempt(),
            m.retriable(),
            maxAttempts,
            m.reason() + " (attempt " + m.attempt() + " of " + maxAttempts + ")");
    if (now.isEmpty()) {
      stale.increment();
      LOG.debugf(
          "ignoring failure of job %s attempt %d: not its live attempt", m.jobId(), m.attempt());
    } else if (now.get() == JobState.QUEUED) {
      retried.increment();
      LOG.warnf(
          "job %s failed on worker %s (attempt %d of %d), re-queued: %s",
          m.jobId(), m.workerId(), m.attempt(), maxAttempts, m.reason());
    } else {
      failed.increment();
      LOG.errorf(
          "job %s FAILED for good on worker %s (attempt %d of %d, %s): %s. It is in the"
              + " dead-letter list: GET /api/v1/admin/dead-letters; replay with"
              + " POST /api/v1/admin/dead-letters/%s/replay",
          m.jobId(),
          m.workerId(),
          m.attempt(),
          maxAttempts,
          m.retriable() ? "attempts used up" : "not retriable",
          m.reason(),
          m.jobId());
    }
  }
}
