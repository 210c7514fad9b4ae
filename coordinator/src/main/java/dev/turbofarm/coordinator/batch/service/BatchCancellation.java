package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.coordinator.batch.persistence.BatchRepository;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Cancels a batch: its QUEUED jobs become CANCELLED and never render; DISPATCHED ones finish. Rows
 * the dispatcher holds at this moment are waited for and then skipped, since they are no longer
 * QUEUED once it commits.
 */
@ApplicationScoped
public class BatchCancellation {
  private static final Logger LOG = Logger.getLogger(BatchCancellation.class);

  private final BatchRepository batches;
  private final JobRepository jobs;
  private final Audit audit;

  BatchCancellation(BatchRepository batches, JobRepository jobs, Audit audit) {
    this.batches = batches;
    this.jobs = jobs;
    this.audit = audit;
  }

  /**
   * Cancels the batch's queued jobs in one transaction, recorded in the audit trail.
   *
   * @throws BatchNotFoundException for an unknown id, and for a batch of a team the caller may not
   *     write for
   */
  @Transactional
  public void cancel(UUID id, Caller caller) {
    if (batches.find(id).filter(b -> caller.canWrite(b.team())).isEmpty()
        || !batches.markCancelled(id)) {
      throw new BatchNotFoundException(id);
    }
    int n = jobs.cancelQueued(id);
    audit.record(caller, "batch.cancel", "batch:" + id, n + " queued jobs cancelled");
    LOG.infof("batch %s cancelled by %s: %d queued jobs will not render", id, caller.name(), n);
  }
}
