package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.coordinator.batch.persistence.BatchRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Finished batches: stamps their completion time (exactly one replica stamps each) and keeps their
 * webhook's delivery status in PostgreSQL, so a restart can resume what was not delivered.
 */
@ApplicationScoped
public class BatchCompletions {
  private static final Logger LOG = Logger.getLogger(BatchCompletions.class);

  private final BatchRepository batches;
  private final BatchProgress progress;

  BatchCompletions(BatchRepository batches, BatchProgress progress) {
    this.batches = batches;
    this.progress = progress;
  }

  /**
   * A finished batch whose webhook is to be sent.
   *
   * @param summary the batch's progress, the webhook's body
   */
  public record Webhook(UUID batchId, URI url, Progress summary) {}

  /** Stamps the batches that just finished; returns the webhooks they call. */
  public List<Webhook> stampFinished() {
    return batches.stampFinished().stream()
        .map(
            f -> {
              Progress p = progress.of(f.id());
              LOG.infof(
                  "batch %s %s: %d succeeded, %d failed, %d cancelled",
                  f.id(), p.state(), p.jobs().succeeded(), p.jobs().failed(), p.jobs().cancelled());
              return f.webhookUrl() == null
                  ? null
                  : new Webhook(f.id(), URI.create(f.webhookUrl()), p);
            })
        .filter(w -> w != null)
        .toList();
  }

  /**
   * Webhooks of finished batches that a previous run had not delivered yet (it stopped while
   * retrying): sent again. Receivers may see a batch twice; {@code X-TurboFarm-Batch} names it.
   */
  public List<Webhook> undelivered() {
    return batches.undeliveredWebhooks().stream()
        .map(f -> new Webhook(f.id(), URI.create(f.webhookUrl()), progress.of(f.id())))
        .toList();
  }

  public void recordDelivery(UUID batchId, String status) {
    batches.recordWebhookStatus(batchId, status);
  }
}
