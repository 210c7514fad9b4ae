package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.testfixtures.ChaosPipeline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path on real parts: REST -> PostgreSQL -> dispatcher -> Kafka share group -> a worker
 * in this JVM -> results topic -> PostgreSQL. The worker renders instantly (TestWorker) so the test
 * checks the farm's plumbing (see TestWorker); the bundled model's path is covered by FarmIT.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class JobFlowTest {
  private static Path resultRoot;

  @BeforeAll
  static void startWorker() {
    resultRoot = TestWorker.ensureStarted();
  }

  static String submit(String body) {
    // As the submitter of the team the body names (its own team), else of team job-flow.
    java.util.regex.Matcher team =
        java.util.regex.Pattern.compile("\"team\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
    return TestKeys.asSubmitter(team.find() ? team.group(1) : "job-flow")
        .contentType("application/json")
        .body(body)
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  /** Waits (at most 60 s) until the job is in a terminal state; returns it then. */
  static JsonPath awaitTerminal(String id) {
    return await()
        .alias("job " + id + " finishes")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                asAdmin()
                    .when()
                    .get("/api/v1/jobs/" + id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath(),
            job -> JobState.valueOf(job.getString("state")).terminal());
  }

  @Test
  void submittedJobIsRenderedStoredAndRecorded() throws Exception {
    String id = submit("{\"prompt\":\"a blue sneaker on a wood background\",\"seed\":1234}");
    JsonPath job = awaitTerminal(id);
    assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(job.getList("images")).hasSize(1);
    String path = job.getString("images[0].path");
    assertThat(Path.of(path)).exists().startsWith(resultRoot.toAbsolutePath());
    assertThat(path).contains(id);
    assertThat(job.getLong("images[0].seed")).isEqualTo(1234L);
    assertThat(job.getString("images[0].workerId")).isEqualTo("test-worker");
    assertThat(job.getString("images[0].modelId")).isEqualTo(ChaosPipeline.MODEL_ID);
    // The timestamps that split a job's latency into hops (farm bench overhead) are in order.
    java.time.OffsetDateTime created = java.time.OffsetDateTime.parse(job.getString("createdAt"));
    java.time.OffsetDateTime dispatched =
        java.time.OffsetDateTime.parse(job.getString("dispatchedAt"));
    java.time.OffsetDateTime finished =
        java.time.OffsetDateTime.parse(job.getString("images[0].finishedAt"));
    java.time.OffsetDateTime recorded =
        java.time.OffsetDateTime.parse(job.getString("images[0].recordedAt"));
    java.time.OffsetDateTime completed =
        java.time.OffsetDateTime.parse(job.getString("completedAt"));
    assertThat(dispatched).isAfterOrEqualTo(created);
    assertThat(finished)
        .isAfterOrEqualTo(
            created
                .plusNanos(
                    (job.getLong("images[0].queueWaitMs") + job.getLong("images[0].renderMs"))
                        * 1_000_000L)
                .minusNanos(1_000_000L));
    assertThat(recorded).isAfterOrEqualTo(finished.minusNanos(1_000_000L));
    assertThat(completed).isAfterOrEqualTo(recorded);
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT seed, path, storage_key, sha256 FROM image WHERE job_id = ? AND idx = 0")) {
      ps.setObject(1, UUID.fromString(id));
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("seed")).isEqualTo(1234L);
        assertThat(rs.getString("path")).as("no host path is recorded").isNull();
        assertThat(resultRoot.resolve(rs.getString("storage_key"))).isEqualTo(Path.of(path));
        assertThat(rs.getString("sha256")).isEqualTo(job.getString("images[0].sha256"));
      }
    }
  }

  @Test
  void theAnalystViewShowsEachImageWithItsJob() throws Exception {
    String id = submit("{\"prompt\":\"a grey teapot on a wood background\",\"seed\":4321}");
    assertThat(awaitTerminal(id).getString("state")).isEqualTo("SUCCEEDED");
    try (Connection c = db()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT image_index, prompt, seed, worker_id, batch_id, sku, fallback_profile"
                  + " FROM image_history WHERE job_id = ?")) {
        ps.setObject(1, UUID.fromString(id));
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt("image_index")).isZero();
          assertThat(rs.getString("prompt")).isEqualTo("a grey teapot on a wood background");
          assertThat(rs.getLong("seed")).isEqualTo(4321L);
          assertThat(rs.getString("worker_id")).isEqualTo(TestWorker.ID);
          assertThat(rs.getObject("batch_id")).as("a single job has no batch").isNull();
          assertThat(rs.getString("fallback_profile")).isNull();
          assertThat(rs.next()).isFalse();
        }
      }
      // The view comes from the repeatable migration, applied after the versioned ones.
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT script, success FROM flyway_schema_history"
                      + " WHERE version IS NULL AND description = 'image history'");
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("script")).endsWith("R__image_history.sql");
        assertThat(rs.getBoolean("success")).isTrue();
      }
    }
  }

  @Test
  void countFourGivesFourImagesWithDistinctSeedsAndFiles() throws Exception {
    String id = submit("{\"prompt\":\"a green bottle on a grey background\",\"count\":4}");
    JsonPath job = awaitTerminal(id);
    assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
    List<Map<String, Object>> images = job.getList("images");
    assertThat(images).hasSize(4);
    assertThat(new HashSet<>(job.getList("images.seed"))).hasSize(4);
    assertThat(job.getList("images.index")).containsExactly(0, 1, 2, 3);
    for (Object p : job.getList("images.path")) {
      assertThat(Path.of((String) p)).exists();
    }
  }

  @Test
  void duplicateResultChangesNothing() throws Exception {
    String id = submit("{\"prompt\":\"a black lamp on a white background\",\"seed\":77}");
    JsonPath job = awaitTerminal(id);
    assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
    String completedAt = job.getString("completedAt");
    double before = duplicatesSoFar();
    // The same image again, as a redelivered job's second render publishes it.
    ResultMessage replay =
        new ResultMessage(
            ResultMessage.SCHEMA,
            UUID.fromString(id),
            1,
            0,
            ResultMessage.Status.SUCCEEDED,
            null,
            TestRecords.workerPath(UUID.fromString(id), 0),
            77,
            512,
            512,
            10,
            6.0,
            "other-model",
            "ghost-worker",
            1,
            5,
            5,
            null,
            null,
            System.currentTimeMillis(),
            false,
            null,
            dev.turbofarm.store.StorageKeys.image(UUID.fromString(id), 0),
            "0".repeat(64),
            1L,
            0L,
            List.of());
    ResultMessage failure =
        new ResultMessage(
            ResultMessage.SCHEMA,
            UUID.fromString(id),
            1,
            0,
            ResultMessage.Status.FAILED,
            "late failure from a stale attempt",
            null,
            77,
            512,
            512,
            10,
            6.0,
            "other-model",
            "ghost-worker",
            1,
            0,
            0,
            null,
            null,
            System.currentTimeMillis(),
            false,
            null,
            null,
            null,
            null,
            null,
            null);
    try (KafkaProducer<String, byte[]> p = TestRecords.producer()) {
      p.send(TestRecords.result(replay)).get();
      p.send(TestRecords.result(failure)).get();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(duplicatesSoFar())
                    .as("the coordinator saw the duplicate")
                    .isGreaterThanOrEqualTo(before + 1));
    JsonPath after = asAdmin().when().get("/api/v1/jobs/" + id).then().extract().jsonPath();
    assertThat(after.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(after.getString("reason")).isNull();
    assertThat(after.getString("completedAt")).isEqualTo(completedAt);
    assertThat(after.getList("images")).hasSize(1);
    assertThat(after.getString("images[0].path")).isEqualTo(job.getString("images[0].path"));
    assertThat(after.getString("images[0].workerId")).isEqualTo("test-worker");
  }

  @Test
  void workersAppearInTheRegistry() {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        asAdmin()
                            .when()
                            .get("/api/v1/admin/workers")
                            .then()
                            .statusCode(200)
                            .extract()
                            .<List<String>>path("id"))
                    .contains("test-worker"));
  }

  @Test
  void recordsThatCannotBeProcessedAreDeadLetteredAndTheOthersRecorded() throws Exception {
    String id = submit("{\"prompt\":\"a white vase on a black background\",\"seed\":91}");
    JsonPath job = awaitTerminal(id);
    assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
    String path = job.getString("images[0].path");
    double deadBefore = deadLetteredSoFar(Topics.RESULTS);
    double duplicatesBefore = duplicatesSoFar();
    UUID job0 = UUID.fromString(id);
    // Not JSON at all: refused at decoding.
    byte[] garbage = "not a result".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // A rendered image without its storage key and checksums: refused by the message rules.
    ResultMessage noKey = result(id, 0, null);
    // An image the job does not have (it has one): refused against the job.
    ResultMessage outOfRange = result(id, 1, "stored");
    // Naming a key elsewhere (the coordinator only ever records the derived key): refused.
    ResultMessage elsewhere = result(id, 0, "stored", "../../etc/passwd");
    // A duplicate of the real image, sent last: recorded (as a duplicate) after the others.
    ResultMessage duplicate = result(id, 0, "stored");
    try (KafkaProducer<String, byte[]> p = TestRecords.producer()) {
      p.send(
          TestRecords.raw(
              Topics.RESULTS, id, garbage, MessageRules.schemaHeader(ResultMessage.SCHEMA)));
      p.send(TestRecords.result(noKey));
      p.send(TestRecords.result(outOfRange));
      p.send(TestRecords.result(elsewhere));
      p.send(TestRecords.result(duplicate)).get();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(deadLetteredSoFar(Topics.RESULTS)).isEqualTo(deadBefore + 4);
              assertThat(duplicatesSoFar()).isGreaterThanOrEqualTo(duplicatesBefore + 1);
            });
    JsonPath after = asAdmin().when().get("/api/v1/jobs/" + id).then().extract().jsonPath();
    assertThat(after.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(after.getList("images")).hasSize(1);
    assertThat(after.getString("images[0].path")).isEqualTo(path);
    // Each one is listed with its reason, from the dead-letter topic.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<Map<String, Object>> listed =
                  asAdmin()
                      .queryParam("source", "topics")
                      .queryParam("topic", Topics.RESULTS)
                      .queryParam("limit", 1000)
                      .when()
                      .get("/api/v1/admin/dead-letters")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath()
                      .getList("findAll { it.key == '" + id + "' }");
              assertThat(listed).hasSize(4);
              assertThat(listed)
                  .extracting(r -> (String) r.get("reason"))
                  .anySatisfy(r -> assertThat(r).contains("not a valid ResultMessage"))
                  .anySatisfy(r -> assertThat(r).contains("storageKey: is required"))
                  .anySatisfy(r -> assertThat(r).contains("image index 1 is not an image"))
                  .anySatisfy(
                      r -> assertThat(r).contains("storageKey ../../etc/passwd is not the job's"));
              assertThat(listed).allSatisfy(r -> assertThat(r.get("offset")).isNotNull());
            });
    // The consumer did not stall: a new job still completes.
    assertThat(awaitTerminal(submit("{\"prompt\":\"a red vase\"}")).getString("state"))
        .isEqualTo("SUCCEEDED");
  }

  /** A success; {@code path} null: one without its storage key and checksums (invalid). */
  /** A result as a worker sends it; {@code stored} null leaves out the key and checksums. */
  private static ResultMessage result(String jobId, int index, String stored) {
    return result(
        jobId,
        index,
        stored,
        stored == null
            ? null
            : dev.turbofarm.store.StorageKeys.image(UUID.fromString(jobId), index));
  }

  private static ResultMessage result(String jobId, int index, String stored, String key) {
    boolean valid = stored != null;
    return new ResultMessage(
        ResultMessage.SCHEMA,
        UUID.fromString(jobId),
        1,
        index,
        ResultMessage.Status.SUCCEEDED,
        null,
        null,
        91,
        512,
        512,
        10,
        6.0,
        "other-model",
        "ghost-worker",
        1,
        5,
        5,
        null,
        null,
        System.currentTimeMillis(),
        false,
        null,
        key,
        valid ? "0".repeat(64) : null,
        valid ? 1L : null,
        valid ? 0L : null,
        valid ? List.of() : null);
  }

  /** Records of one topic dead-lettered so far; 0 before the first. */
  static double deadLetteredSoFar(String topic) {
    String metrics = given().when().get(Management.url("/q/metrics")).then().extract().asString();
    Matcher m =
        Pattern.compile(
                "(?m)^turbofarm_records_dead_lettered_total\\{[^}]*topic=\""
                    + Pattern.quote(topic)
                    + "\"[^}]*} (\\S+)$")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static double duplicatesSoFar() {
    return metric("turbofarm_results_duplicates_total");
  }

  /** A counter's value from the Prometheus endpoint; 0 before its first increment. */
  static double metric(String name) {
    String metrics = given().when().get(Management.url("/q/metrics")).then().extract().asString();
    Matcher m = Pattern.compile("(?m)^" + name + "\\S* (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static Connection db() throws Exception {
    return FarmServicesResource.superuser();
  }
}
