package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asSubmitter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} on {@code POST /api/v1/jobs}: a retry gets the first answer. */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class IdempotencyTest {
  private static final String TEAM = "idem-team";

  @BeforeAll
  static void startWorker() {
    TestWorker.ensureStarted();
  }

  private static Response post(String key, String body) {
    var spec = asSubmitter(TEAM).contentType("application/json").body(body);
    if (key != null) {
      spec = spec.header("Idempotency-Key", key);
    }
    return spec.post("/api/v1/jobs");
  }

  private static int jobsWithPrompt(String prompt) throws Exception {
    try (Connection c = FarmServicesResource.superuser();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM job WHERE prompt = ?")) {
      ps.setString(1, prompt);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void aRetryWithTheSameKeyReturnsTheFirstJob() throws Exception {
    String key = "order-" + UUID.randomUUID();
    String body = "{\"prompt\":\"an idempotent teapot\",\"seed\":11}";
    Response first = post(key, body);
    first.then().statusCode(202);
    Response retry = post(key, body);
    retry.then().statusCode(202).header("Idempotent-Replayed", "true");
    assertThat(retry.path("id").toString()).isEqualTo(first.path("id").toString());
    assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(jobsWithPrompt("an idempotent teapot")).isEqualTo(1);
    JobFlowTest.awaitTerminal(first.path("id"));
  }

  @Test
  void theSameKeyWithAnotherBodyIs422() {
    String key = "order-" + UUID.randomUUID();
    post(key, "{\"prompt\":\"a first kettle\"}").then().statusCode(202);
    post(key, "{\"prompt\":\"a second kettle\"}")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", containsString("idempotency-key-reused"))
        .body("detail", containsString(key));
  }

  @Test
  void concurrentRetriesCreateOneJob() throws Exception {
    String key = "burst-" + UUID.randomUUID();
    String body = "{\"prompt\":\"a concurrent cup\"}";
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Response>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(pool.submit(() -> post(key, body)));
      }
      Set<String> ids = new HashSet<>();
      for (Future<Response> f : answers) {
        Response r = f.get();
        assertThat(r.statusCode()).isEqualTo(202);
        ids.add(r.path("id").toString());
      }
      assertThat(ids).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(jobsWithPrompt("a concurrent cup")).isEqualTo(1);
  }

  @Test
  void keysAreScopedByTeamAndCheckedForShape() {
    String key = "shared-" + UUID.randomUUID();
    String body = "{\"prompt\":\"a team-scoped bowl\"}";
    String mine = post(key, body).then().statusCode(202).extract().path("id");
    String theirs =
        asSubmitter("idem-other-team")
            .contentType("application/json")
            .header("Idempotency-Key", key)
            .body(body)
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    assertThat(theirs).isNotEqualTo(mine);
    post("bad key with spaces", body)
        .then()
        .statusCode(400)
        .body(containsString("Idempotency-Key"));
    post("x".repeat(256), body).then().statusCode(400);
  }

  @Test
  void aRefusedFirstRequestDoesNotBindTheKey() {
    String key = "fix-" + UUID.randomUUID();
    post(key, "{\"prompt\":\"\"}").then().statusCode(400);
    post(key, "{\"prompt\":\"a corrected saucer\"}").then().statusCode(202);
  }
}
