package dev.turbofarm.coordinator.batch.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.coordinator.batch.service.BatchCompletions;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.metrics.service.FarmMetrics;
import dev.turbofarm.coordinator.webhook.messaging.WebhookClient;
import dev.turbofarm.coordinator.webhook.service.WebhookRefusedException;
import dev.turbofarm.coordinator.webhook.service.WebhookSecrets;
import dev.turbofarm.coordinator.webhook.service.WebhookSignature;
import dev.turbofarm.coordinator.webhook.service.WebhookTargets;
import dev.turbofarm.coordinator.webhook.service.WebhookTargets.Target;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Notices finished batches (no job QUEUED or DISPATCHED) and calls their webhook with the batch
 * summary, signed with the team's secret by the Standard Webhooks scheme ({@link
 * WebhookSignature}); failed calls are retried with back-off. Before each call the URL is checked
 * again ({@link WebhookTargets}: the host's addresses may have changed since intake) and the call
 * goes to the address that passed ({@link WebhookClient}). Logs name the host only, and the batch
 * shows a generic status (an HTTP status, "timed out", "connection failed", "address refused"),
 * never a receiver's own text. Both run on the scheduler, never on the result path; the state of
 * every delivery lives in PostgreSQL, so a restart resumes it and replicas share the work ({@link
 * BatchCompletions}).
 */
@ApplicationScoped
public class BatchCompletion {
  private static final Logger LOG = Logger.getLogger(BatchCompletion.class);

  /** Header naming the batch, for receivers that predate the Standard Webhooks headers. */
  public static final String BATCH_HEADER = "X-TurboFarm-Batch";

  /** Webhooks sent per pass, calls: one slow receiver delays the rest by at most its timeout. */
  static final int DELIVERIES_PER_PASS = 10;

  /**
   * How long a claimed delivery holds its batch, ms: past the webhook timeout, so only a replica
   * that died while delivering lets another one retry.
   */
  static final long CLAIM_MS = 60_000;

  private final BatchCompletions completions;
  private final WebhookTargets targets;
  private final WebhookSecrets secrets;
  private final WebhookClient client;
  private final FarmConfig.Batches config;
  private final ObjectMapper json;
  private final FarmMetrics metrics;

  BatchCompletion(
      BatchCompletions completions,
      WebhookTargets targets,
      WebhookSecrets secrets,
      WebhookClient client,
      FarmConfig config,
      ObjectMapper json,
      FarmMetrics metrics) {
    this.metrics = metrics;
    this.completions = completions;
    this.targets = targets;
    this.secrets = secrets;
    this.client = client;
    this.config = config.batches();
    this.json = json;
  }

  /** Stamps finished batches; their webhooks become due. */
  @Scheduled(
      identity = "turbofarm-batch-completion",
      // The default repeats FarmConfig's: the scheduler resolves the key before the mapping.
      every = "${turbofarm.batches.completion-check:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void stampFinished() {
    try {
      completions.stampFinished();
    } catch (RuntimeException e) {
      // The next pass retries: a batch is stamped only in a committed UPDATE.
      LOG.warnf(
          "checking for finished batches failed (%s); retrying in %d ms. Check PostgreSQL",
          e.getMessage(), config.completionCheck().toMillis());
    }
  }

  /** Sends the webhooks that are due: first attempts, retries, and those a restart left. */
  @Scheduled(
      identity = "turbofarm-batch-webhooks",
      every = "${turbofarm.batches.completion-check:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void deliverDue() {
    try {
      for (BatchCompletions.Webhook w : completions.claimDue(DELIVERIES_PER_PASS, CLAIM_MS)) {
        deliver(w);
      }
    } catch (RuntimeException e) {
      LOG.warnf(
          "sending due webhooks failed (%s); retrying in %d ms. Check PostgreSQL",
          e.getMessage(), config.completionCheck().toMillis());
    }
  }

  private void deliver(BatchCompletions.Webhook w) {
    String host = w.host();
    Target target;
    try {
      target = targets.check(w.url());
    } catch (WebhookRefusedException e) {
      LOG.warnf(
          "webhook of batch %s to host %s refused at send time: webhook %s",
          w.batchId(), host, e.getMessage());
      completions.failed(w, "address refused");
      metrics.webhook("refused");
      return;
    }
    byte[] body;
    try {
      body = json.writeValueAsBytes(w.summary());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the summary of batch " + w.batchId(), e);
    }
    // The same id on every retry of this batch's message: a receiver drops one it has seen.
    String id = "batch_" + w.batchId();
    long timestamp = Instant.now().getEpochSecond();
    String secret = secrets.of(w.summary().team()).secret();
    Map<String, String> headers =
        Map.of(
            WebhookSignature.ID_HEADER,
            id,
            WebhookSignature.TIMESTAMP_HEADER,
            Long.toString(timestamp),
            WebhookSignature.SIGNATURE_HEADER,
            WebhookSignature.sign(secret, id, timestamp, body),
            BATCH_HEADER,
            w.batchId().toString());
    String why;
    try {
      int status = client.post(target, headers, body);
      if (status / 100 == 2) {
        completions.delivered(w, status);
        metrics.webhook("delivered");
        return;
      }
      why = status / 100 == 3 ? "HTTP " + status + ", a redirect (not followed)" : "HTTP " + status;
      metrics.webhook("http_error");
    } catch (WebhookClient.DeliveryException e) {
      boolean timedOut = e.failure() == WebhookClient.Failure.TIMED_OUT;
      why = timedOut ? "timed out" : "connection failed";
      metrics.webhook(timedOut ? "timed_out" : "connection_failed");
    }
    completions.failed(w, why);
  }
}
