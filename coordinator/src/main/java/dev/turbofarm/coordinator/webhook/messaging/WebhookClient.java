package dev.turbofarm.coordinator.webhook.messaging;

import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.webhook.service.WebhookTargets.Target;
import io.netty.channel.ConnectTimeoutException;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one webhook with Vert.x's HTTP client, to the address {@code WebhookTargets} checked
 * ({@link RequestOptions#setServer}: no second name lookup, so a DNS answer that changes after the
 * check cannot redirect it), with the URL's host in the {@code Host} header and TLS's SNI and
 * certificate check. Redirects are not followed; the whole exchange, connecting, sending the body
 * and receiving the status line, is cut off after {@code turbofarm.webhooks.timeout}; the
 * receiver's body is never read. Why not the REST Client: docs/adr/0009-webhook-client.md.
 */
@ApplicationScoped
public class WebhookClient {
  private final HttpClient http;
  private final Duration timeout;

  WebhookClient(Vertx vertx, FarmConfig config) {
    this.timeout = config.webhooks().timeout();
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) config.webhooks().connectTimeout().toMillis())
                // One delivery, one connection: nothing of a receiver's is kept open.
                .setKeepAlive(false)
                .setMaxRedirects(0)
                .setVerifyHost(true)
                .setTryUseCompression(false));
  }

  /** How a delivery ended without a status. */
  public enum Failure {
    TIMED_OUT,
    CONNECTION_FAILED
  }

  /** A failed delivery, with the kind of failure only (no receiver's text). */
  public static final class DeliveryException extends Exception {
    private final Failure failure;

    DeliveryException(Failure failure, Throwable cause) {
      super(failure.name(), cause);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }

  /**
   * POSTs {@code body} to the target.
   *
   * @return the receiver's HTTP status (a 3xx is returned, not followed)
   * @throws DeliveryException when no status came within the timeout or the connection failed
   */
  public int post(Target target, Map<String, String> headers, byte[] body)
      throws DeliveryException {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setServer(
                SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
            .setHost(target.url().getHost())
            .setPort(target.port())
            .setSsl(target.https())
            .setURI(target.requestUri())
            .setFollowRedirects(false)
            .setTimeout(timeout.toMillis())
            .putHeader("Content-Type", "application/json")
            .putHeader("User-Agent", "TurboFarm-Webhook/1");
    headers.forEach(options::putHeader);
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    CompletableFuture<Integer> status =
        http.request(options)
            .compose(
                req -> {
                  sent.set(req);
                  return req.send(Buffer.buffer(body));
                })
            .map(
                resp -> {
                  int s = resp.statusCode();
                  // The status is all we need: the connection closes without reading the body.
                  resp.exceptionHandler(ignored -> {});
                  resp.request().connection().close();
                  return s;
                })
            .toCompletionStage()
            .toCompletableFuture();
    try {
      return status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      HttpClientRequest req = sent.get();
      if (req != null) {
        req.reset();
      }
      status.cancel(true);
      throw new DeliveryException(Failure.TIMED_OUT, e);
    } catch (ExecutionException e) {
      // Vert.x's own timeouts are TimeoutExceptions; Netty's connect timeout is its own type.
      Throwable cause = e.getCause();
      throw new DeliveryException(
          cause instanceof TimeoutException || cause instanceof ConnectTimeoutException
              ? Failure.TIMED_OUT
              : Failure.CONNECTION_FAILED,
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException(Failure.CONNECTION_FAILED, e);
    }
  }

  void close(@Observes ShutdownEvent ev) {
    http.close();
  }
}
