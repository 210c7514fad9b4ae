package dev.turbofarm.coordinator.batch.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.coordinator.batch.service.BatchCompletions;
import dev.turbofarm.coordinator.config.FarmConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Notices finished batches (no job QUEUED or DISPATCHED), stamps their completion time, and calls
 * their webhook with the batch summary, signed and retried with back-off on its own thread so the
 * result path never waits for a slow receiver. The stamp is an {@code UPDATE ... WHERE completed_at
 * IS NULL}: with several coordinator replicas exactly one of them sends the webhook.
 */
@ApplicationScoped
public class BatchCompletion {
  private static final Logger LOG = Logger.getLogger(BatchCompletion.class);

  /** Header carrying {@code sha256=<hex HMAC-SHA256 of the body>}. */
  public static final String SIGNATURE_HEADER = "X-TurboFarm-Signature";

  private final BatchCompletions completions;
  private final FarmConfig.Batches config;
  private final ObjectMapper json;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ScheduledExecutorService scheduler;

  BatchCompletion(BatchCompletions completions, FarmConfig config, ObjectMapper json) {
    this.completions = completions;
    this.config = config.batches();
    this.json = json;
  }

  void start(@Observes StartupEvent ev) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "turbofarm-batch-completion");
              t.setDaemon(true);
              return t;
            });
    long period = config.completionCheck().toMillis();
    scheduler.execute(this::resumeUndelivered);
    scheduler.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Webhooks of finished batches that a previous run had not delivered yet (it stopped while
   * retrying): sent again. Receivers may see a batch twice; {@code X-TurboFarm-Batch} names it.
   */
  private void resumeUndelivered() {
    try {
      for (BatchCompletions.Webhook w : completions.undelivered()) {
        LOG.infof("resuming the undelivered webhook of batch %s", w.batchId());
        deliver(w.batchId(), w.url(), json.writeValueAsBytes(w.summary()), 1);
      }
    } catch (Exception e) {
      LOG.warnf(
          "cannot resume undelivered webhooks (%s); they stay undelivered. Check PostgreSQL",
          e.toString());
    }
  }

  void stop(@Observes ShutdownEvent ev) {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private void check() {
    try {
      for (BatchCompletions.Webhook w : completions.stampFinished()) {
        deliver(w.batchId(), w.url(), json.writeValueAsBytes(w.summary()), 1);
      }
    } catch (Exception e) {
      // The next check retries: a batch is stamped only in a committed UPDATE.
      LOG.warnf(
          "checking for finished batches failed (%s); retrying in %d ms. Check PostgreSQL",
          e.toString(), config.completionCheck().toMillis());
    }
  }

  private void deliver(UUID id, URI url, byte[] body, int attempt) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(url)
            .timeout(config.webhookTimeout())
            .header("Content-Type", "application/json")
            .header("X-TurboFarm-Batch", id.toString())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    config
        .webhookSecret()
        .ifPresentOrElse(
            secret -> req.header(SIGNATURE_HEADER, "sha256=" + sign(secret, body)),
            () ->
                LOG.warnf(
                    "webhook of batch %s is sent unsigned: set turbofarm.batches.webhook-secret",
                    id));
    http.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() / 100 == 2) {
                record(id, "delivered: HTTP " + response.statusCode() + " on attempt " + attempt);
                return;
              }
              String why = error != null ? error.toString() : "HTTP " + response.statusCode();
              if (attempt >= config.webhookAttempts()) {
                LOG.errorf(
                    "webhook of batch %s to %s failed %d times (last: %s); giving up. Check the"
                        + " receiver; GET /api/v1/batches/%s has the summary",
                    id, url, attempt, why, id);
                record(id, "failed after " + attempt + " attempts: " + why);
                return;
              }
              long delay = config.webhookBackoff().toMillis() << (attempt - 1);
              record(id, "retrying: attempt " + attempt + " failed: " + why);
              LOG.warnf(
                  "webhook of batch %s to %s failed (%s); attempt %d in %d ms",
                  id, url, why, attempt + 1, delay);
              scheduler.schedule(
                  () -> deliver(id, url, body, attempt + 1), delay, TimeUnit.MILLISECONDS);
            });
  }

  private void record(UUID id, String status) {
    try {
      completions.recordDelivery(id, status);
    } catch (RuntimeException e) {
      LOG.warnf("cannot record webhook status of batch %s (%s): %s", id, e.getMessage(), status);
    }
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
