package dev.turbofarm.coordinator.batch.messaging;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Makes one webhook call through the REST Client, bounded by Fault Tolerance's {@link Timeout}: 10
 * s, changed with {@code quarkus.fault-tolerance."dev.turbofarm.coordinator.batch.messaging.
 * WebhookSender/post".timeout.value} (ms). Retries are not made here: they are scheduled in
 * PostgreSQL ({@code BatchCompletions}) so they survive a restart.
 */
@ApplicationScoped
public class WebhookSender {
  /** How long opening the connection may take, s: a receiver that is down fails fast. */
  static final long CONNECT_TIMEOUT_S = 5;

  /**
   * Posts the body to {@code url}.
   *
   * @param signature the signature header's value; null to leave it out
   * @return the receiver's HTTP status
   * @throws org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException past the timeout
   */
  @Timeout(10_000)
  public int post(URI url, UUID batchId, String signature, byte[] body) {
    try (WebhookApi api =
            QuarkusRestClientBuilder.newBuilder()
                .baseUri(url)
                .connectTimeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
                // Every status comes back as a Response: a 503 is an answer to retry, not an error.
                .disableDefaultMapper(true)
                .build(WebhookApi.class);
        Response r = api.post(batchId.toString(), signature, body)) {
      return r.getStatus();
    }
  }
}
