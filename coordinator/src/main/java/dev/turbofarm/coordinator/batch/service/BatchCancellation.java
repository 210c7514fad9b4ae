package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.coordinator.batch.persistence.BatchRepository;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
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

  BatchCancellation(BatchRepository batches, JobRepository jobs) {
    this.batches = batches;
    this.jobs = jobs;
  }

  /**
   * Cancels the batch's queued jobs in one transaction.
   *
   * @throws BatchNotFoundException for an unknown id
   */
  @Transactional
  public void cancel(UUID id) {
    if (!batches.markCancelled(id)) {
      throw new BatchNotFoundException(id);
    }
    int n = jobs.cancelQueued(id);
    LOG.infof("batch %s cancelled: %d queued jobs will not render", id, n);
  }
}
