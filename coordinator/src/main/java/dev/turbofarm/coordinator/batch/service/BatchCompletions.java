package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.coordinator.batch.persistence.BatchRepository;
import dev.turbofarm.coordinator.config.FarmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Finished batches: stamps their completion time (exactly one replica stamps each) and schedules
 * their webhook in PostgreSQL (attempts, next attempt, status), so deliveries resume after a
 * restart and replicas never send one at the same time.
 */
@ApplicationScoped
public class BatchCompletions {
  private static final Logger LOG = Logger.getLogger(BatchCompletions.class);

  private final BatchRepository batches;
  private final BatchProgress progress;
  private final FarmConfig.Batches config;

  BatchCompletions(BatchRepository batches, BatchProgress progress, FarmConfig config) {
    this.batches = batches;
    this.progress = progress;
    this.config = config.batches();
  }

  /**
   * A webhook to send now.
   *
   * @param attempt which attempt this delivery is, from 1
   * @param summary the batch's progress: the webhook's body
   */
  public record Webhook(UUID batchId, String url, int attempt, Progress summary) {
    /** The URL's host, for logs (its path or query may carry a token); never the whole URL. */
    public String host() {
      try {
        String h = URI.create(url).getHost();
        return h == null ? "(no host)" : h;
      } catch (IllegalArgumentException e) {
        return "(not a URL)";
      }
    }
  }

  /** Stamps the batches that just finished (their webhooks become due); returns how many. */
  public int stampFinished() {
    List<UUID> finished = batches.stampFinished();
    for (UUID id : finished) {
      Progress p = progress.of(id);
      LOG.infof(
          "batch %s %s: %d succeeded, %d failed, %d cancelled",
          id, p.state(), p.jobs().succeeded(), p.jobs().failed(), p.jobs().cancelled());
    }
    return finished.size();
  }

  /**
   * Claims the webhooks due now, each for as long as one delivery may take.
   *
   * @param claimMs how long the claim holds before another replica may retry, ms
   */
  public List<Webhook> claimDue(int limit, long claimMs) {
    return batches.claimDueWebhooks(limit, claimMs).stream()
        .map(w -> new Webhook(w.batchId(), w.url(), w.attempt(), progress.of(w.batchId())))
        .toList();
  }

  /** The receiver answered 2xx: delivered, never sent again. */
  public void delivered(Webhook w, int status) {
    batches.recordWebhook(
        w.batchId(), "delivered: HTTP " + status + " on attempt " + w.attempt(), -1);
  }

  /**
   * The attempt failed: schedules the next one after a back-off that doubles each time, or gives up
   * after {@code turbofarm.batches.webhook-attempts}. Logs name the receiver's host only (a URL may
   * carry a token in its path or query).
   *
   * @param why a generic outcome: an HTTP status, "timed out", "connection failed", "address
   *     refused"; never the receiver's own text
   */
  public void failed(Webhook w, String why) {
    int attempt = w.attempt();
    String host = w.host();
    if (attempt >= config.webhookAttempts()) {
      LOG.errorf(
          "webhook of batch %s to host %s failed %d times (last: %s); giving up. Check the"
              + " receiver; GET /api/v1/batches/%s has the summary",
          w.batchId(), host, attempt, why, w.batchId());
      batches.recordWebhook(w.batchId(), "failed after " + attempt + " attempts: " + why, -1);
      return;
    }
    long delay = config.webhookBackoff().toMillis() << (attempt - 1);
    LOG.warnf(
        "webhook of batch %s to host %s failed (%s); attempt %d in %d ms",
        w.batchId(), host, why, attempt + 1, delay);
    batches.recordWebhook(w.batchId(), "retrying: attempt " + attempt + " failed: " + why, delay);
  }
}
