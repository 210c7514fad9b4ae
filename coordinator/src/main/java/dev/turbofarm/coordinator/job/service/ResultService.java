package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.persistence.ImageRepository;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.job.persistence.ResultTarget;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.metrics.service.FarmMetrics;
import dev.turbofarm.coordinator.worker.service.Quarantine;
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
 * in, and a terminal job never changes again. Every result is first checked against its job ({@link
 * ResultChecks}): one that does not fit (unknown job, index out of range, an attempt never
 * dispatched, another seed or other settings, a path elsewhere) is refused and dead-lettered. Both
 * outcomes are fenced by attempt: a rendered image counts only from the job's live attempt, and
 * only the live attempt may re-queue (retriable, attempts left) or fail the job, so a late result
 * from a stale attempt never overwrites a newer outcome. The image's path is derived from the job
 * id and index under the configured result root; the path a result names is never stored.
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
  private final Counter invalid;
  private final Counter storedBytes;
  private final FarmMetrics farmMetrics;
  private final Quarantine quarantine;

  ResultService(
      JobRepository jobs,
      ImageRepository images,
      FarmConfig config,
      MeterRegistry metrics,
      FarmMetrics farmMetrics,
      Quarantine quarantine) {
    this.farmMetrics = farmMetrics;
    this.quarantine = quarantine;
    this.jobs = jobs;
    this.images = images;
    this.config = config;
    this.recorded = metrics.counter("turbofarm.images.recorded");
    this.duplicates = metrics.counter("turbofarm.results.duplicates");
    this.failed = metrics.counter("turbofarm.jobs.failed");
    this.retried = metrics.counter("turbofarm.jobs.retried");
    this.stale = metrics.counter("turbofarm.results.stale");
    this.invalid = metrics.counter("turbofarm.results.refused");
    this.storedBytes = metrics.counter("turbofarm.storage.stored.bytes");
  }

  /**
   * Records one poll's results in one transaction: the jobs' rows locked in id order first (the
   * lock order of every writer of several job rows; without it this transaction and a heartbeat's
   * lease extension, each holding some of the same jobs, deadlocked under load), each result
   * checked against its job, then one INSERT of every image, the failures, and one UPDATE that
   * completes the jobs whose images are all in.
   *
   * @return the results refused, each with the reason (they are dead-lettered); the rest is
   *     recorded
   */
  @Transactional
  public List<ConsumerLoop.Rejected<ResultMessage>> record(List<ResultMessage> results) {
    Set<UUID> ids = new LinkedHashSet<>();
    results.forEach(m -> ids.add(m.jobId()));
    Map<UUID, ResultTarget> targets = jobs.lockResultTargets(ids);
    List<ConsumerLoop.Rejected<ResultMessage>> refused = new ArrayList<>();
    List<ResultMessage> ok = new ArrayList<>();
    Map<UUID, ResultMessage> failures = new LinkedHashMap<>();
    Set<UUID> succeeded = new LinkedHashSet<>();
    for (ResultMessage m : results) {
      ResultTarget t = targets.get(m.jobId());
      String problem = ResultChecks.problem(m, t);
      if (problem != null) {
        invalid.increment();
        refused.add(new ConsumerLoop.Rejected<>(m, problem));
      } else if (m.status() == ResultMessage.Status.SUCCEEDED) {
        if (ResultChecks.isStale(m, t)) {
          stale.increment();
          LOG.debugf(
              "ignoring image %d of job %s from attempt %d: the job is at attempt %d",
              m.index(), m.jobId(), m.attempt(), t.attempt());
        } else {
          ok.add(m);
          succeeded.add(m.jobId());
        }
      } else {
        failures.putIfAbsent(m.jobId(), m);
      }
    }
    ImageRepository.Inserted inserted = images.insertAll(ok);
    recorded.increment(inserted.images());
    storedBytes.increment(inserted.bytes());
    duplicates.increment(ok.size() - inserted.images());
    for (ResultMessage m : failures.values()) {
      fail(m);
    }
    farmMetrics.rendered(ok);
    quarantine.succeeded(ok);
    farmMetrics.succeeded(jobs.completeIfRendered(succeeded));
    if (LOG.isDebugEnabled() && !ok.isEmpty()) {
      LOG.debugf(
          "recorded %d results; newest published %d ms ago",
          ok.size(), System.currentTimeMillis() - ok.get(ok.size() - 1).finishedAtMs());
    }
    return refused;
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
    if (now.isPresent()) {
      // Kept against the worker: its failures are given back to the job if it gets quarantined.
      quarantine.failed(m);
    }
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
