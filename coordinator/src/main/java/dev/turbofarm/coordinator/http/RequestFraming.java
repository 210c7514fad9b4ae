package dev.turbofarm.coordinator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.coordinator.error.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The request's framing, checked before anything reads it: a body over {@code
 * quarkus.http.limits.max-body-size} is a problem+json 413 that says the limit, not the bare 413
 * Quarkus answers itself (this route runs just before Quarkus' own check and refuses by {@code
 * Content-Length}, before a byte of the body is read; a chunked body without a length still meets
 * Quarkus' own check once it passes the limit); a {@code Content-Type} or {@code Accept} that is
 * not a media type at all is a problem+json 415 or 406 naming it (content negotiation would
 * otherwise fail on it unexpectedly).
 */
@ApplicationScoped
public class RequestFraming {
  private final long maxBytes;
  private final ObjectMapper json;

  // The one key Quarkus' own check reads too.
  RequestFraming(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
          MemorySize max,
      ObjectMapper json) {
    this.maxBytes = max.asLongValue();
    this.json = json;
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
              long n;
              try {
                n = length == null ? -1 : Long.parseLong(length.trim());
              } catch (NumberFormatException e) {
                n = -1; // Vert.x itself refuses a malformed length.
              }
              if (n > maxBytes) {
                refuse(
                    ctx,
                    413,
                    "too-large",
                    "Request too large",
                    "the body is "
                        + n
                        + " bytes; at most "
                        + maxBytes
                        + " are accepted (quarkus.http.limits.max-body-size). Split a catalogue"
                        + " into several batches");
                return;
              }
              String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
              if (type != null && !isMediaType(type)) {
                refuseAfterBody(
                    ctx,
                    415,
                    "http-415",
                    "Unsupported Media Type",
                    "the Content-Type '" + type + "' is not a media type (e.g. application/json)");
                return;
              }
              String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
              if (accept != null && !isAcceptList(accept)) {
                refuseAfterBody(
                    ctx,
                    406,
                    "http-406",
                    "Not Acceptable",
                    "the Accept header '" + accept + "' is not a list of media types");
                return;
              }
              ctx.next();
            });
  }

  private static boolean isMediaType(String value) {
    try {
      MediaType.valueOf(value.trim());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isAcceptList(String value) {
    for (String part : value.split(",")) {
      if (!part.isBlank() && !isMediaType(part)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Refuses once the body (within the size limit) has arrived and been dropped, on a connection
   * that stays open. Closing with unread bytes in the socket makes the kernel answer with a reset,
   * which can destroy the refusal before the client reads it (AbuseTest saw one "no answer" in
   * 10,000 requests); a body past the limit is refused and the connection closed after all.
   */
  private void refuseAfterBody(
      RoutingContext ctx, int status, String type, String title, String detail) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded()) {
      answer(ctx, status, type, title, detail, false);
      return;
    }
    AtomicLong seen = new AtomicLong();
    AtomicBoolean answered = new AtomicBoolean();
    request.handler(
        chunk -> {
          if (seen.addAndGet(chunk.length()) > maxBytes && answered.compareAndSet(false, true)) {
            answer(ctx, status, type, title, detail, true);
          }
        });
    request.endHandler(
        done -> {
          if (answered.compareAndSet(false, true)) {
            answer(ctx, status, type, title, detail, false);
          }
        });
    request.resume();
  }

  private void refuse(RoutingContext ctx, int status, String type, String title, String detail) {
    answer(ctx, status, type, title, detail, true);
  }

  private void answer(
      RoutingContext ctx, int status, String type, String title, String detail, boolean close) {
    byte[] body;
    try {
      body =
          json.writeValueAsBytes(
              new Problem("https://turbofarm.dev/problems/" + type, title, status, detail, null));
    } catch (Exception e) {
      body = new byte[0];
    }
    if (!close) {
      ctx.response()
          .setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
          .end(io.vertx.core.buffer.Buffer.buffer(body));
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        // The body is not read: the connection cannot carry another request.
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(io.vertx.core.buffer.Buffer.buffer(body))
        .onComplete(done -> ctx.request().connection().close());
  }
}
