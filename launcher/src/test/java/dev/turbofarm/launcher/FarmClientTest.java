package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FarmClient#awaitDone} against a scripted coordinator: every terminal state ends it. */
class FarmClientTest {
  /** Far above a poll or two: reaching it means awaitDone did not see the state as terminal. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final Duration POLL = Duration.ofMillis(10);

  private final AtomicReference<String> state = new AtomicReference<>();

  /** The key the stub coordinator accepts; it answers 401 to anything else. */
  private static final String KEY = "tf_" + "k".repeat(43);

  private HttpServer server;
  private FarmClient client;

  @BeforeEach
  void startCoordinator() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/jobs",
        ex -> {
          if (!("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.sendResponseHeaders(401, -1);
            ex.close();
            return;
          }
          boolean post = ex.getRequestMethod().equals("POST");
          byte[] body =
              (post
                      ? "{\"id\":\"j1\"}"
                      : "{\"id\":\"j1\",\"state\":\""
                          + state.get()
                          + "\",\"reason\":\"batch cancelled\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(post ? 202 : 200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    client = new FarmClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), KEY);
  }

  @AfterEach
  void stopCoordinator() {
    server.stop(0);
  }

  @Test
  void everyRequestSendsTheApiKey() {
    state.set("SUCCEEDED");
    assertThat(client.get("/api/v1/jobs/j1").status()).isEqualTo(200);
    FarmClient keyless =
        new FarmClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "tf_other");
    assertThat(keyless.get("/api/v1/jobs/j1").status()).isEqualTo(401);
  }

  @Test
  void theKeyGoesToTheCoordinatorOnlyNeverToAnImageUrlElsewhere() {
    URI base = URI.create("http://127.0.0.1:8080");
    java.util.function.Function<String, java.util.Optional<String>> auth =
        url ->
            FarmClient.authorized(
                    java.net.http.HttpRequest.newBuilder(URI.create(url)),
                    URI.create(url),
                    base,
                    KEY)
                .build()
                .headers()
                .firstValue("Authorization");
    assertThat(auth.apply("http://127.0.0.1:8080/api/v1/jobs/j/images/0"))
        .contains("Bearer " + KEY);
    assertThat(auth.apply("http://127.0.0.1:9000/bucket/ab/j/0.png")).isEmpty();
    assertThat(auth.apply("https://127.0.0.1:8080/x")).isEmpty();
    assertThat(auth.apply("http://cdn.example.invalid:8080/x")).isEmpty();
  }

  @Test
  void aCancelledJobIsDoneNotAwaitedUntilTheTimeout() {
    state.set("CANCELLED");
    long t0 = System.nanoTime();
    assertThat(client.awaitDone("j1", TIMEOUT, POLL).path("state").asText()).isEqualTo("CANCELLED");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT);
  }

  @Test
  void succeededAndFailedAreDoneTooAndQueuedIsNot() {
    state.set("SUCCEEDED");
    assertThat(client.awaitDone("j1", TIMEOUT, POLL).path("state").asText()).isEqualTo("SUCCEEDED");
    state.set("FAILED");
    assertThat(client.awaitDone("j1", TIMEOUT, POLL).path("state").asText()).isEqualTo("FAILED");
    state.set("QUEUED");
    assertThatThrownBy(() -> client.awaitDone("j1", Duration.ofMillis(100), POLL))
        .isInstanceOf(FarmException.class)
        .hasMessageContaining("job j1 still QUEUED");
  }

  @Test
  void runToSuccessNamesACancelledJobAndItsReason() {
    state.set("CANCELLED");
    assertThatThrownBy(
            () -> client.runToSuccess(FarmClient.draftJob("a mug", "t", 1L), TIMEOUT, POLL, "test"))
        .isInstanceOf(FarmException.class)
        .hasMessageContaining("CANCELLED")
        .hasMessageContaining("batch cancelled");
  }
}
