package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asSubmitter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} on {@code POST /api/v1/batches} (CSV, JSON Lines, JSON and the form
 * upload): a retry of the same catalogue answers the first batch and stores no new jobs.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class IdempotentBatchTest {
  @BeforeAll
  static void startWorker() {
    TestWorker.ensureStarted();
  }

  /** A team of this test's own, so that its batch and job counts are its own. */
  private static String team() {
    return "idem-batch-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A small catalogue of fast jobs: 256x256, 1 step. */
  private static String csv(String prefix, int rows) {
    StringBuilder sb = new StringBuilder("sku,prompt,width,height,steps\n");
    for (int i = 1; i <= rows; i++) {
      sb.append(prefix).append('-').append(i).append(",a folded towel,256,256,1\n");
    }
    return sb.toString();
  }

  private static Response post(String team, String key, String type, String body, String name) {
    var spec = asSubmitter(team).contentType(type).body(body.getBytes(StandardCharsets.UTF_8));
    if (key != null) {
      spec = spec.header("Idempotency-Key", key);
    }
    if (name != null) {
      spec = spec.queryParam("name", name);
    }
    return spec.post("/api/v1/batches");
  }

  private static Response postCsv(String team, String key, String body) {
    return post(team, key, "text/csv", body, null);
  }

  private static Connection db() throws Exception {
    return FarmServicesResource.superuser();
  }

  /** Batches of {@code team} and the jobs stored for them. */
  private static int[] batchesAndJobs(String team) throws Exception {
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (SELECT count(*) FROM batch WHERE team = ?),"
                    + " (SELECT count(*) FROM job WHERE team = ? AND batch_id IS NOT NULL)")) {
      ps.setString(1, team);
      ps.setString(2, team);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new int[] {rs.getInt(1), rs.getInt(2)};
      }
    }
  }

  @Test
  void aRetryOfTheSameCatalogueAnswersTheFirstBatch() throws Exception {
    String team = team();
    String key = "catalogue-" + UUID.randomUUID();
    String body = csv("T", 3);
    Response first = postCsv(team, key, body);
    first.then().statusCode(202).body("accepted", equalTo(3));
    assertThat(first.header("Idempotent-Replayed")).isNull();
    Response retry = postCsv(team, key, body);
    retry.then().statusCode(202).header("Idempotent-Replayed", "true");
    assertThat(retry.path("id").toString()).isEqualTo(first.path("id").toString());
    assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
    // The first answer itself, counts and timing included.
    assertThat(retry.jsonPath().getMap("")).isEqualTo(first.jsonPath().getMap(""));
    assertThat(batchesAndJobs(team)).containsExactly(1, 3);
    // Without a key the same catalogue is a new batch: the key, not the body, makes a retry.
    postCsv(team, null, body).then().statusCode(202);
    assertThat(batchesAndJobs(team)).containsExactly(2, 6);
  }

  @Test
  void jsonLinesJsonAndFormUploadsReplayToo() throws Exception {
    String team = team();
    String lines = "{\"sku\":\"L-1\",\"prompt\":\"a linen napkin\",\"steps\":1}\n";
    String array = "[{\"sku\":\"A-1\",\"prompt\":\"a linen apron\",\"steps\":1}]";
    String ndKey = "nd-" + UUID.randomUUID();
    String jsonKey = "json-" + UUID.randomUUID();
    String formKey = "form-" + UUID.randomUUID();
    String nd = post(team, ndKey, "application/x-ndjson", lines, null).path("id");
    post(team, ndKey, "application/x-ndjson", lines, null)
        .then()
        .statusCode(202)
        .header("Idempotent-Replayed", "true")
        .body("id", equalTo(nd));
    String json = post(team, jsonKey, "application/json", array, null).path("id");
    post(team, jsonKey, "application/json", array, null)
        .then()
        .statusCode(202)
        .header("Idempotent-Replayed", "true")
        .body("id", equalTo(json));
    byte[] file = csv("F", 2).getBytes(StandardCharsets.UTF_8);
    String form = upload(team, formKey, file, "draft").then().statusCode(202).extract().path("id");
    upload(team, formKey, file, "draft")
        .then()
        .statusCode(202)
        .header("Idempotent-Replayed", "true")
        .body("id", equalTo(form));
    // Another form setting with the key is another request.
    upload(team, formKey, file, "concept-square")
        .then()
        .statusCode(422)
        .body("type", containsString("idempotency-key-reused"));
    assertThat(batchesAndJobs(team)).containsExactly(3, 4);
  }

  private static Response upload(String team, String key, byte[] file, String profile) {
    return asSubmitter(team)
        .header("Idempotency-Key", key)
        .multiPart("file", "catalogue.csv", file, "text/csv")
        .multiPart("profile", profile)
        .post("/api/v1/batches");
  }

  @Test
  void theSameKeyWithAnotherCatalogueOrSettingIs422() throws Exception {
    String team = team();
    String key = "reuse-" + UUID.randomUUID();
    postCsv(team, key, csv("R", 2)).then().statusCode(202);
    postCsv(team, key, csv("R", 3))
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", containsString("idempotency-key-reused"))
        .body("detail", containsString(key))
        .body("detail", containsString("batch"));
    post(team, key, "text/csv", csv("R", 2), "another name").then().statusCode(422);
    // A key first used for a single job cannot replay as a batch either.
    String jobKey = "job-then-batch-" + UUID.randomUUID();
    asSubmitter(team)
        .contentType("application/json")
        .header("Idempotency-Key", jobKey)
        .body("{\"prompt\":\"a striped towel\",\"steps\":1,\"width\":256,\"height\":256}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(202);
    postCsv(team, jobKey, csv("J", 1)).then().statusCode(422);
    assertThat(batchesAndJobs(team)).containsExactly(1, 2);
  }

  @Test
  void keysAreScopedByTeam() throws Exception {
    String key = "shared-" + UUID.randomUUID();
    String body = csv("S", 2);
    String mine = team();
    String theirs = team();
    String a = postCsv(mine, key, body).then().statusCode(202).extract().path("id");
    Response b = postCsv(theirs, key, body);
    b.then().statusCode(202);
    assertThat(b.header("Idempotent-Replayed")).isNull();
    assertThat(b.path("id").toString()).isNotEqualTo(a);
    assertThat(batchesAndJobs(mine)).containsExactly(1, 2);
    assertThat(batchesAndJobs(theirs)).containsExactly(1, 2);
  }

  @Test
  void aRefusedFirstCatalogueDoesNotBindTheKeyAndPartialAnswersReplayWhole() throws Exception {
    String team = team();
    String key = "fix-" + UUID.randomUUID();
    String bad = "sku,prompt,steps\nB-1,a bath mat,1\nB-2,,1\n";
    postCsv(team, key, bad).then().statusCode(400);
    assertThat(batchesAndJobs(team)).containsExactly(0, 0);
    // The same key on the corrected request is a first request, here with accept-valid.
    Response first =
        asSubmitter(team)
            .contentType("text/csv")
            .header("Idempotency-Key", key)
            .queryParam("mode", "accept-valid")
            .body(bad)
            .post("/api/v1/batches");
    first.then().statusCode(202).body("accepted", equalTo(1)).body("rejectedCount", equalTo(1));
    Response retry =
        asSubmitter(team)
            .contentType("text/csv")
            .header("Idempotency-Key", key)
            .queryParam("mode", "accept-valid")
            .body(bad)
            .post("/api/v1/batches");
    retry.then().statusCode(202).header("Idempotent-Replayed", "true");
    // The rejected rows come back as first reported: no table keeps them.
    assertThat(retry.jsonPath().getList("rejected"))
        .isEqualTo(first.jsonPath().getList("rejected"))
        .hasSize(1);
    assertThat(batchesAndJobs(team)).containsExactly(1, 1);
  }

  @Test
  void anExpiredKeyIsFree() throws Exception {
    String team = team();
    String key = "old-" + UUID.randomUUID();
    String first = postCsv(team, key, csv("E", 1)).then().statusCode(202).extract().path("id");
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE idempotency_key SET created_at = now() - interval '25 hours'"
                    + " WHERE key = ?")) {
      ps.setString(1, key);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    // Past 24 h the key is forgotten: another catalogue with it is a new batch, not a 422.
    Response later = postCsv(team, key, csv("E", 2));
    later.then().statusCode(202).body("accepted", equalTo(2));
    assertThat(later.header("Idempotent-Replayed")).isNull();
    assertThat(later.path("id").toString()).isNotEqualTo(first);
    assertThat(batchesAndJobs(team)).containsExactly(2, 3);
  }

  @Test
  void concurrentDoubleSubmitsStoreOneBatch() throws Exception {
    String team = team();
    String key = "burst-" + UUID.randomUUID();
    String body = csv("C", 50);
    int clients = 8;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Response>> answers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await(10, TimeUnit.SECONDS);
                  return postCsv(team, key, body);
                }));
      }
      go.countDown();
      Set<String> ids = new HashSet<>();
      int replayed = 0;
      for (Future<Response> f : answers) {
        Response r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        ids.add(r.path("id").toString());
        if ("true".equals(r.header("Idempotent-Replayed"))) {
          replayed++;
        }
      }
      assertThat(ids).hasSize(1);
      assertThat(replayed).isEqualTo(clients - 1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(batchesAndJobs(team)).containsExactly(1, 50);
  }
}
