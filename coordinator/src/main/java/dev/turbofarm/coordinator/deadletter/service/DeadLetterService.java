package dev.turbofarm.coordinator.deadletter.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.coordinator.job.persistence.DeadLetterRow;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.job.service.JobNotFoundException;
import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The dead-letter list (FAILED jobs) and replay, which gives a job a fresh set of attempts. */
@ApplicationScoped
public class DeadLetterService {
  private static final Logger LOG = Logger.getLogger(DeadLetterService.class);

  private final JobRepository jobs;
  private final Audit audit;

  DeadLetterService(JobRepository jobs, Audit audit) {
    this.jobs = jobs;
    this.audit = audit;
  }

  /** A job that ended FAILED. */
  public record DeadLetter(
      UUID jobId,
      String team,
      String prompt,
      String profile,
      int width,
      int height,
      int attempts,
      String reason,
      String lastWorker,
      OffsetDateTime createdAt,
      OffsetDateTime failedAt) {}

  /** The most recently failed jobs first. */
  public List<DeadLetter> list(int limit) {
    return jobs.failed(limit).stream().map(DeadLetterService::deadLetter).toList();
  }

  /**
   * Puts a FAILED job back in the queue with its attempts reset; images already recorded stay.
   *
   * @throws JobNotFoundException for an unknown id
   * @throws NotDeadLetterException when the job exists but has not failed
   */
  @Transactional
  public void replay(UUID id, Caller caller) {
    if (jobs.requeueFailed(id)) {
      audit.record(caller, "dead-letter.replay", "job:" + id, null);
      LOG.infof(
          "dead letter %s replayed by %s: back in the queue with fresh attempts",
          id, caller.name());
      return;
    }
    JobState state = jobs.stateOf(id).orElseThrow(() -> new JobNotFoundException(id));
    throw new NotDeadLetterException(id, state);
  }

  private static DeadLetter deadLetter(DeadLetterRow r) {
    return new DeadLetter(
        r.id(),
        r.team(),
        r.prompt(),
        r.profile(),
        r.width(),
        r.height(),
        r.attempt(),
        r.reason(),
        r.workerId(),
        r.createdAt(),
        r.completedAt());
  }
}
