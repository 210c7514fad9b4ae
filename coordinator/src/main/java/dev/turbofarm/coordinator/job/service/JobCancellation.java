package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.coordinator.error.ConflictProblem;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Cancels one job while it is still QUEUED: it never reaches a worker. A job already sent to a
 * worker finishes as it would; cancelling it is a 409 that names its state.
 */
@ApplicationScoped
public class JobCancellation {
  private static final Logger LOG = Logger.getLogger(JobCancellation.class);

  private final JobRepository jobs;
  private final Audit audit;

  JobCancellation(JobRepository jobs, Audit audit) {
    this.jobs = jobs;
    this.audit = audit;
  }

  /**
   * Cancels the job, recorded in the audit trail.
   *
   * @throws JobNotFoundException for an unknown id, and for a job of a team the caller may not
   *     write for
   * @throws ConflictProblem when the job is no longer QUEUED, naming its state
   */
  @Transactional
  public void cancel(UUID id, Caller caller) {
    String team =
        jobs.find(id)
            .map(j -> j.team())
            .filter(caller::canWrite)
            .orElseThrow(() -> new JobNotFoundException(id));
    if (!jobs.cancelIfQueued(id, "cancelled by " + caller.name())) {
      String state = jobs.stateOf(id).map(Enum::name).orElse("gone");
      throw new ConflictProblem(
          "job "
              + id
              + " is "
              + state
              + "; only a QUEUED job can be cancelled (a dispatched one finishes on its worker)");
    }
    audit.record(caller, "job.cancel", "job:" + id, "team " + team);
    LOG.infof("job %s of team %s cancelled by %s before dispatch", id, team, caller.name());
  }
}
