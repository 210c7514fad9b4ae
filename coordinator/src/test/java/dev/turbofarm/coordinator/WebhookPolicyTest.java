package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks cannot reach inside: a batch whose webhook points at a loopback address the tests do not
 * allow (they allow 127.0.0.1 only), a private or a metadata address, directly or through a name,
 * is a 400 naming {@code webhook}; a host whose address changes to an internal one after intake is
 * refused at send time, before any connection. Names resolve through {@link TestHostResolver}, so
 * no test sends anything beyond loopback.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class WebhookPolicyTest {
  private static final String TEAM = "webhook-policy";

  @BeforeAll
  static void startWorker() {
    // The rebind test's batch must finish for its webhook to be due.
    TestWorker.ensureStarted();
  }

  private static JsonPath submit(String webhook, int status) {
    return TestKeys.asSubmitter(TEAM)
        .contentType("text/csv")
        .queryParam("webhook", webhook)
        .body("sku,prompt\nw-1,a red mug\n")
        .when()
        .post("/api/v1/batches")
        .then()
        .statusCode(status)
        .extract()
        .jsonPath();
  }

  @Test
  void internalTargetsAreRefusedAtIntakeNamingTheWebhook() {
    TestHostResolver.script("intranet.test", List.of("10.0.0.1"));
    TestHostResolver.script("metadata.test", List.of("169.254.169.254"));
    for (String hook :
        List.of(
            "http://127.0.0.2:8080/hook",
            "http://10.0.0.1/hook",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:8080/hook",
            "http://[fd00:ec2::254]/latest",
            "http://intranet.test/hook",
            "http://metadata.test/hook",
            "http://nowhere.test/hook",
            "ftp://127.0.0.1/hook")) {
      JsonPath p = submit(hook, 400);
      assertThat(p.getList("errors.field", String.class)).as(hook).containsExactly("webhook");
    }
    assertThat(submit("http://10.0.0.1/hook", 400).getString("errors[0].problem"))
        .contains("private")
        .contains("turbofarm.webhooks.allowed-networks");
  }

  @Test
  void aHostWhoseAddressChangesAfterIntakeIsRefusedAtSendTime() throws Exception {
    // Loopback (allowed in the tests) at intake, the metadata address when the batch is done.
    TestHostResolver.script("rebind.test", List.of("127.0.0.1"), List.of("169.254.169.254"));
    String batch = submit("http://rebind.test:9/hook", 202).getString("id");
    await("the delivery is refused, not attempted")
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(
                        asAdmin()
                            .when()
                            .get("/api/v1/batches/" + batch)
                            .then()
                            .statusCode(200)
                            .extract()
                            .<String>path("webhook"))
                    .isNotNull()
                    .contains("address refused"));
  }

  @Test
  void aStoredWebhookToAnInternalAddressIsRefusedWithAGenericStatus() throws Exception {
    // As a batch accepted before the address changed would be: completed, its webhook due.
    TestHostResolver.script("moved.test", List.of("10.1.2.3"));
    UUID id = UUID.randomUUID();
    try (Connection c = FarmServicesResource.superuser();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO batch (id, team, source, job_count, image_count, webhook_url,"
                    + " completed_at, webhook_attempts, webhook_next_at)"
                    + " VALUES (?, ?, 'CSV', 0, 0, ?, now(), 0, now())")) {
      ps.setObject(1, id);
      ps.setString(2, TEAM);
      ps.setString(3, "https://moved.test/hook?token=secret-in-url");
      ps.executeUpdate();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        asAdmin()
                            .when()
                            .get("/api/v1/batches/" + id)
                            .then()
                            .statusCode(200)
                            .extract()
                            .<String>path("webhook"))
                    .isEqualTo("retrying: attempt 1 failed: address refused"));
  }
}
