package dev.turbofarm.coordinator.batch.messaging;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A batch's completion webhook, as a REST Client interface. Built per call with the batch's URL as
 * its base URI ({@link WebhookSender}); the receiver sees a POST of the batch summary.
 */
public interface WebhookApi extends AutoCloseable {
  /** Header carrying {@code sha256=<hex HMAC-SHA256 of the body>}. */
  String SIGNATURE_HEADER = "X-TurboFarm-Signature";

  /** Header naming the batch, so a receiver can drop a repeated delivery. */
  String BATCH_HEADER = "X-TurboFarm-Batch";

  /**
   * Posts the summary.
   *
   * @param signature null when no secret is configured: the header is left out
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  Response post(
      @HeaderParam(BATCH_HEADER) String batchId,
      @HeaderParam(SIGNATURE_HEADER) String signature,
      byte[] body);

  @Override
  void close();
}
