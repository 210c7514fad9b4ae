package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FarmClient} with several coordinator URLs, against scripted coordinators: it moves on past
 * one that refuses connections or answers 503, and resends a POST that may have reached a
 * coordinator only when it carries an Idempotency-Key.
 */
class FarmClientFailoverTest {
  private static final String KEY = "tf_" + "f".repeat(43);

  private final List<HttpServer> servers = new ArrayList<>();

  /** What each scripted coordinator was sent: "name METHOD idempotency-key". */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws IOException {
    servers.forEach(s -> s.stop(0));
    for (ServerSocket s : sockets) {
      s.close();
    }
  }

  private final List<ServerSocket> sockets = new ArrayList<>();

  /**
   * A coordinator that dies after it read a request: it takes the connection, reads the request's
   * head, records it and closes the connection without an answer.
   */
  private URI diesMidRequest(String name) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    sockets.add(server);
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (java.net.Socket c = server.accept()) {
                  var in =
                      new java.io.BufferedReader(
                          new java.io.InputStreamReader(
                              c.getInputStream(), StandardCharsets.ISO_8859_1));
                  String method = in.readLine().split(" ")[0];
                  String key = null;
                  for (String line = in.readLine();
                      line != null && !line.isEmpty();
                      line = in.readLine()) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("idempotency-key:")) {
                      key = line.substring(line.indexOf(':') + 1).trim();
                    }
                  }
                  seen.add(name + " " + method + " " + key);
                } catch (IOException | RuntimeException e) {
                  // closed by the test, or a request cut short: the next one
                }
              }
            },
            "dies-mid-request-" + name);
    t.setDaemon(true);
    t.start();
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** A scripted coordinator answering {@code answer}'s status. */
  private URI coordinator(String name, Function<HttpExchange, Integer> answer) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/jobs",
        ex -> {
          ex.getRequestBody().readAllBytes();
          seen.add(
              name
                  + " "
                  + ex.getRequestMethod()
                  + " "
                  + ex.getRequestHeaders().getFirst("Idempotency-Key"));
          int status = answer.apply(ex);
          byte[] body = ("{\"id\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static URI nothingListening() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  @Test
  void aCoordinatorThatRefusesConnectionsIsPassedAndTheNextOneKept() throws Exception {
    URI b = coordinator("b", ex -> 202);
    FarmClient client = new FarmClient(List.of(nothingListening(), b), KEY);
    assertThat(client.post("/api/v1/jobs", "{}").body().get("id").asText()).isEqualTo("b");
    assertThat(client.failovers()).isEqualTo(1);
    // The next request goes straight to the one that answered.
    assertThat(client.get("/api/v1/jobs/x").status()).isEqualTo(202);
    assertThat(client.failovers()).isEqualTo(1);
    assertThat(seen).containsExactly("b POST null", "b GET null");
  }

  @Test
  void a503MovesToTheNextCoordinatorButTheLastAnswerIsReturned() throws Exception {
    URI a = coordinator("a", ex -> 503);
    URI b = coordinator("b", ex -> 202);
    FarmClient client = new FarmClient(List.of(a, b), KEY);
    assertThat(client.post("/api/v1/jobs", "{}").status()).isEqualTo(202);
    assertThat(seen).containsExactly("a POST null", "b POST null");
    FarmClient onlyBusy = new FarmClient(List.of(a, a), KEY);
    assertThat(onlyBusy.post("/api/v1/jobs", "{}").status()).isEqualTo(503);
  }

  @Test
  void aPostThatMayHaveArrivedIsResentOnlyWithAnIdempotencyKey() throws Exception {
    URI dying = diesMidRequest("a");
    URI b = coordinator("b", ex -> 202);
    FarmClient plain = new FarmClient(List.of(dying, b), KEY);
    // Without a key a second job could result: the failure is the caller's to judge.
    assertThatThrownBy(() -> plain.post("/api/v1/jobs", "{}")).isInstanceOf(FarmException.class);
    assertThat(seen).containsExactly("a POST null");

    URI dyingToo = diesMidRequest("c");
    FarmClient keyed = new FarmClient(List.of(dyingToo, b), KEY);
    FarmClient.Answer answer =
        keyed.post("/api/v1/jobs", "{}", Map.of(FarmClient.IDEMPOTENCY_KEY, "order-7"));
    assertThat(answer.status()).isEqualTo(202);
    assertThat(seen).containsExactly("a POST null", "c POST order-7", "b POST order-7");
  }

  @Test
  void theKeyGoesToEveryCoordinatorOfTheFarmAndNowhereElse() {
    List<URI> farm =
        List.of(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8081"));
    assertThat(
            FarmClient.authorized(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:8081/x")),
                    URI.create("http://127.0.0.1:8081/x"),
                    farm,
                    KEY)
                .build()
                .headers()
                .firstValue("Authorization"))
        .contains("Bearer " + KEY);
    assertThat(
            FarmClient.authorized(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:9000/x")),
                    URI.create("http://127.0.0.1:9000/x"),
                    farm,
                    KEY)
                .build()
                .headers()
                .firstValue("Authorization"))
        .isEmpty();
  }
}
