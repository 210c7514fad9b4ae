package dev.turbofarm.coordinator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.coordinator.error.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body over {@code quarkus.http.limits.max-body-size} is a problem+json 413 that says the limit,
 * not the bare 413 Quarkus answers itself: this route runs just before Quarkus' own check and
 * refuses by {@code Content-Length}, before a byte of the body is read. (A chunked body without a
 * length still meets Quarkus' own check once it passes the limit.)
 */
@ApplicationScoped
public class BodyLimit {
  private final long maxBytes;
  private final ObjectMapper json;

  // The one key Quarkus' own check reads too.
  BodyLimit(
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
              if (n <= maxBytes) {
                ctx.next();
                return;
              }
              byte[] body;
              try {
                body =
                    json.writeValueAsBytes(
                        new Problem(
                            "https://turbofarm.dev/problems/too-large",
                            "Request too large",
                            413,
                            "the body is "
                                + n
                                + " bytes; at most "
                                + maxBytes
                                + " are accepted (quarkus.http.limits.max-body-size). Split a"
                                + " catalogue into several batches",
                            null));
              } catch (Exception e) {
                body = new byte[0];
              }
              ctx.response()
                  .setStatusCode(413)
                  .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                  // The body is not read: the connection cannot carry another request.
                  .putHeader(HttpHeaders.CONNECTION, "close")
                  .end(io.vertx.core.buffer.Buffer.buffer(body))
                  .onComplete(done -> ctx.request().connection().close());
            });
  }
}
