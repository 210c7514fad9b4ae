package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.turbofarm.coordinator.batch.messaging.BatchCompletion;
import dev.turbofarm.coordinator.webhook.service.WebhookSignature;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Completion webhooks as PostgreSQL schedules them: a delivery a previous run left undone is sent
 * by this one, and a receiver that hangs is cut off by the call's timeout (1.5 s in the test
 * configuration) and tried again. Each test inserts its own finished batch.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class WebhookTest {
  private HttpServer server;
  private ExecutorService threads;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final List<String> badSignatures = new CopyOnWriteArrayList<>();

  /**
   * The receiver: when set, the first call hangs until the test ends; every call then answers 200.
   */
  private volatile boolean firstCallHangs;

  /** Released when the test ends, so a hanging call's thread finishes. */
  private final CountDownLatch hangUntilTestEnds = new CountDownLatch(1);

  @BeforeEach
  void receiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    threads = Executors.newCachedThreadPool();
    server.setExecutor(threads);
    server.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          if (calls.incrementAndGet() == 1 && firstCallHangs) {
            try {
              hangUntilTestEnds.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          } else {
            String batch = ex.getRequestHeaders().getFirst(BatchCompletion.BATCH_HEADER);
            String id = ex.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER);
            String timestamp = ex.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER);
            String signature = ex.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER);
            try {
              // Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body">, team's secret.
              String secret = secretOf("webhook-" + batch);
              assertThat(id).isEqualTo("batch_" + batch);
              assertThat(Long.parseLong(timestamp))
                  .isCloseTo(
                      System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
              assertThat(signature)
                  .isEqualTo(WebhookSignature.sign(secret, id, Long.parseLong(timestamp), body))
                  .isEqualTo(
                      "v1,"
                          + java.util.Base64.getEncoder()
                              .encodeToString(hmac(secret, id + "." + timestamp + ".", body)));
              delivered.add(batch);
            } catch (Exception | AssertionError e) {
              badSignatures.add(batch + ": " + e);
            }
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    hangUntilTestEnds.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  private String hook() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  @Test
  void aDeliveryAnEarlierRunLeftUndoneIsSent() throws Exception {
    // As a coordinator leaves it when it stops between attempts: completed, one attempt failed,
    // the next due.
    UUID batch = insertFinishedBatch("retrying: attempt 1 failed: HTTP 503", 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(delivered).contains(batch.toString()));
    assertThat(badSignatures).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(webhookStatus(batch)).isEqualTo("delivered: HTTP 200 on attempt 2"));
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void aReceiverThatHangsIsCutOffAndTriedAgain() throws Exception {
    firstCallHangs = true;
    UUID batch = insertFinishedBatch(null, 0);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(delivered).contains(batch.toString()));
    // The second attempt got through while the first call was still hanging: cut off at 1.5 s.
    assertThat(calls.get()).isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(webhookStatus(batch)).isEqualTo("delivered: HTTP 200 on attempt 2"));
  }

  /** The team's secret as the coordinator made it on first use. */
  private static String secretOf(String team) throws Exception {
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement("SELECT secret FROM team_webhook_secret WHERE team = ?")) {
      ps.setString(1, team);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("a secret for team %s", team).isTrue();
        return rs.getString(1);
      }
    }
  }

  /** HMAC-SHA256 written out here, so the test checks the scheme, not only our own code. */
  private static byte[] hmac(String secret, String prefix, byte[] body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())),
            "HmacSHA256"));
    mac.update(prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return mac.doFinal(body);
  }

  private UUID insertFinishedBatch(String status, int attempts) throws Exception {
    UUID id = UUID.randomUUID();
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO batch (id, team, source, job_count, image_count, webhook_url,"
                    + " completed_at, webhook_status, webhook_attempts, webhook_next_at)"
                    + " VALUES (?, ?, 'CSV', 0, 0, ?, now(), ?, ?, now())")) {
      ps.setObject(1, id);
      ps.setString(2, "webhook-" + id);
      ps.setString(3, hook());
      ps.setString(4, status);
      ps.setInt(5, attempts);
      ps.executeUpdate();
    }
    return id;
  }

  private static String webhookStatus(UUID batch) {
    return asAdmin()
        .when()
        .get("/api/v1/batches/" + batch)
        .then()
        .statusCode(200)
        .extract()
        .path("webhook");
  }

  private static Connection db() throws Exception {
    return FarmServicesResource.superuser();
  }
}
