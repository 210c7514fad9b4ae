package dev.turbofarm.worker.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.turbofarm.worker.WorkerStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code /health/live} and {@code /health/ready} for orchestrators: ready (200) only once the model
 * is warm, 503 before and while draining; and {@code /metrics}, the worker's own metrics in
 * Prometheus format ({@link WorkerMetrics}). The JDK's own HTTP server: the worker is plain Java
 * and needs three endpoints, not a web framework.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;
  private final WorkerStatus status;

  public HealthServer(int port, WorkerStatus status, WorkerMetrics metrics) throws IOException {
    this.status = status;
    this.server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/health/live", ex -> answer(ex, 200, "{\"status\":\"UP\"}"));
    server.createContext(
        "/health/ready",
        ex ->
            answer(
                ex,
                status.ready() ? 200 : 503,
                "{\"status\":\""
                    + (status.ready() ? "UP" : "DOWN")
                    + "\",\"state\":\""
                    + status.state()
                    + "\"}"));
    server.createContext(
        "/metrics",
        ex -> answer(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange ex, int code, String body) throws IOException {
    answer(ex, code, "application/json", body);
  }

  private static void answer(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
