package dev.turbofarm.coordinator.batch.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.coordinator.batch.service.BatchCompletions;
import dev.turbofarm.coordinator.config.FarmConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Notices finished batches (no job QUEUED or DISPATCHED) and calls their webhook with the batch
 * summary, signed; failed calls are retried with back-off. Both run on the scheduler, never on the
 * result path; the state of every delivery lives in PostgreSQL, so a restart resumes it and
 * replicas share the work ({@link BatchCompletions}).
 */
@ApplicationScoped
public class BatchCompletion {
  private static final Logger LOG = Logger.getLogger(BatchCompletion.class);

  /** Header carrying {@code sha256=<hex HMAC-SHA256 of the body>}. */
  public static final String SIGNATURE_HEADER = WebhookApi.SIGNATURE_HEADER;

  /** Webhooks sent per pass, calls: one slow receiver delays the rest by at most its timeout. */
  static final int DELIVERIES_PER_PASS = 10;

  /**
   * How long a claimed delivery holds its batch, ms: past the webhook timeout, so only a replica
   * that died while delivering lets another one retry.
   */
  static final long CLAIM_MS = 60_000;

  private final BatchCompletions completions;
  private final WebhookSender sender;
  private final FarmConfig.Batches config;
  private final ObjectMapper json;

  BatchCompletion(
      BatchCompletions completions, WebhookSender sender, FarmConfig config, ObjectMapper json) {
    this.completions = completions;
    this.sender = sender;
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
    String why;
    try {
      byte[] body = json.writeValueAsBytes(w.summary());
      String signature = config.webhookSecret().map(s -> "sha256=" + sign(s, body)).orElse(null);
      if (signature == null) {
        LOG.warnf(
            "webhook of batch %s is sent unsigned: set turbofarm.batches.webhook-secret",
            w.batchId());
      }
      int status = sender.post(w.url(), w.batchId(), signature, body);
      if (status / 100 == 2) {
        completions.delivered(w, status);
        return;
      }
      why = "HTTP " + status;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the summary of batch " + w.batchId(), e);
    } catch (RuntimeException e) {
      // Timeout, refused connection, unknown host: the receiver's side, worth another attempt.
      why = e.toString();
    }
    completions.failed(w, why);
  }

  /** Hex HMAC-SHA256 of the body: receivers recompute it with the shared secret. */
  public static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
