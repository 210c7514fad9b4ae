package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.common.messaging.ResultMessage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults inside one coordinator, on the real broker and PostgreSQL: poison jobs end in the
 * dead-letter list after the attempt limit without holding others up, replay works, leases that run
 * out re-queue (or fail) a job, stale results are fenced off, and jobs over a worker's memory
 * budget fail with the limit named or fall back when they allow it. The chaos suite (ChaosIT)
 * covers the same guarantees with processes killed and restarted.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class FaultHandlingTest {

  @BeforeAll
  static void worker() {
    TestWorker.ensureStarted();
  }

  @Test
  void poisonJobFailsAfterThreeAttemptsIntoDeadLettersAndHoldsNobodyUp() throws Exception {
    String poison = JobFlowTest.submit("{\"prompt\":\"a red mug #poison\",\"seed\":1}");
    List<String> healthy = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      healthy.add(JobFlowTest.submit("{\"prompt\":\"a blue mug " + i + "\",\"count\":2}"));
    }
    JsonPath failed = JobFlowTest.awaitTerminal(poison);
    assertThat(failed.getString("state")).isEqualTo("FAILED");
    assertThat(failed.getInt("attempt")).isEqualTo(3);
    assertThat(failed.getString("reason"))
        .contains("simulated crash on a poison prompt")
        .contains("attempt 3 of 3")
        .contains(TestWorker.ID);
    for (String id : healthy) {
      assertThat(JobFlowTest.awaitTerminal(id).getString("state")).isEqualTo("SUCCEEDED");
    }
    List<String> deadLetters =
        asAdmin()
            .when()
            .get("/api/v1/admin/dead-letters")
            .then()
            .statusCode(200)
            .extract()
            .path("jobId");
    assertThat(deadLetters).contains(poison).doesNotContainAnyElementsOf(healthy);
  }

  @Test
  void replayGivesADeadLetterFreshAttempts() throws Exception {
    UUID id = insertJob("DISPATCHED", 3, "-1 second", "a green lamp");
    JsonPath failed = JobFlowTest.awaitTerminal(id.toString());
    assertThat(failed.getString("state")).isEqualTo("FAILED");
    assertThat(failed.getString("reason")).contains("lease ran out").contains("attempt 3 of 3");

    asAdmin().when().post("/api/v1/admin/dead-letters/" + id + "/replay").then().statusCode(202);
    JsonPath done = JobFlowTest.awaitTerminal(id.toString());
    assertThat(done.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(done.getInt("attempt")).isEqualTo(1);
    asAdmin()
        .when()
        .post("/api/v1/admin/dead-letters/" + id + "/replay")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    asAdmin()
        .when()
        .post("/api/v1/admin/dead-letters/" + UUID.randomUUID() + "/replay")
        .then()
        .statusCode(404);
  }

  @Test
  void expiredLeaseIsDispatchedAgainAndFinishes() throws Exception {
    // As if attempt 1 went to a worker that died: DISPATCHED, lease already over.
    UUID id = insertJob("DISPATCHED", 1, "-1 second", "a white bottle");
    JsonPath done = JobFlowTest.awaitTerminal(id.toString());
    assertThat(done.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(done.getInt("attempt")).isEqualTo(2);
    assertThat(done.getList("images")).hasSize(1);
  }

  @Test
  void heartbeatNamingAJobSetsItsWorkerAndShortLease() throws Exception {
    UUID id = insertJob("DISPATCHED", 1, "10 minutes", "a grey mug held by nobody");
    Heartbeat hb =
        new Heartbeat(
            Heartbeat.SCHEMA,
            "hb-worker",
            "host",
            Heartbeat.WorkerState.BUSY,
            "m",
            4,
            1,
            List.of(id),
            0,
            0,
            0,
            0,
            System.currentTimeMillis());
    try (KafkaProducer<String, byte[]> p = producer()) {
      p.send(TestRecords.heartbeat(hb)).get();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(workerOf(id)).isEqualTo("hb-worker"));
    try (Connection c = FarmServicesResource.superuser();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT extract(epoch FROM lease_until - now()) FROM job WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        // The 10-minute dispatch lease became the 15-second worker lease.
        assertThat(rs.getDouble(1)).isBetween(0.0, 16.0);
      }
    }
    // Nothing heartbeats for it any more: the lease runs out and the job is rendered again.
    assertThat(JobFlowTest.awaitTerminal(id.toString()).getString("state")).isEqualTo("SUCCEEDED");
  }

  @Test
  void leasesRunOnTheDatabaseClockWhateverTheWorkersClockSays() throws Exception {
    // Two workers whose clocks are an hour off, each holding one dispatched job.
    UUID behind = insertJob("DISPATCHED", 1, "10 minutes", "a tan mug held by a slow clock");
    UUID ahead = insertJob("DISPATCHED", 1, "10 minutes", "a tan mug held by a fast clock");
    long hour = Duration.ofHours(1).toMillis();
    try (KafkaProducer<String, byte[]> p = producer()) {
      p.send(heartbeat("hb-clock-behind", behind, System.currentTimeMillis() - hour)).get();
      p.send(heartbeat("hb-clock-ahead", ahead, System.currentTimeMillis() + hour)).get();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(workerOf(behind)).isEqualTo("hb-clock-behind");
              assertThat(workerOf(ahead)).isEqualTo("hb-clock-ahead");
            });
    // Both got the 15-second worker lease from the database's now(), not from an hour off.
    assertThat(leaseSecondsLeft(behind)).isBetween(0.0, 16.0);
    assertThat(leaseSecondsLeft(ahead)).isBetween(0.0, 16.0);
    // No more heartbeats: both leases run out in seconds, and the jobs are rendered again.
    assertThat(JobFlowTest.awaitTerminal(ahead.toString()).getString("state"))
        .isEqualTo("SUCCEEDED");
    assertThat(JobFlowTest.awaitTerminal(behind.toString()).getString("state"))
        .isEqualTo("SUCCEEDED");
  }

  private static ProducerRecord<String, byte[]> heartbeat(String worker, UUID job, long sentAtMs) {
    Heartbeat hb =
        new Heartbeat(
            Heartbeat.SCHEMA,
            worker,
            "host",
            Heartbeat.WorkerState.BUSY,
            "m",
            4,
            1,
            List.of(job),
            0,
            0,
            0,
            0,
            sentAtMs);
    return TestRecords.heartbeat(hb);
  }

  private static String workerOf(UUID job) {
    return asAdmin().when().get("/api/v1/jobs/" + job).then().extract().path("workerId");
  }

  /** Seconds until the job's lease runs out, by the database's clock. */
  private static double leaseSecondsLeft(UUID job) throws Exception {
    try (Connection c = FarmServicesResource.superuser();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT extract(epoch FROM lease_until - now()) FROM job WHERE id = ?")) {
      ps.setObject(1, job);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getDouble(1);
      }
    }
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, FarmServicesResource.bootstrap(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  @Test
  void failureFromAStaleAttemptChangesNothing() throws Exception {
    // Attempt 2 is live with a long lease; a failure from attempt 1 arrives late.
    UUID id = insertJob("DISPATCHED", 2, "10 minutes", "a black handbag");
    double staleBefore = JobFlowTest.metric("turbofarm_results_stale_total");
    publishFailure(id, 1);
    publishFailure(id, 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(JobFlowTest.metric("turbofarm_results_stale_total"))
                    .isGreaterThanOrEqualTo(staleBefore + 2));
    JsonPath untouched = asAdmin().when().get("/api/v1/jobs/" + id).then().extract().jsonPath();
    assertThat(untouched.getString("state")).isEqualTo("DISPATCHED");
    assertThat(untouched.getInt("attempt")).isEqualTo(2);
    assertThat(untouched.getString("reason")).isNull();

    // The live attempt's retriable failure re-queues it; attempt 3 then renders.
    publishFailure(id, 2);
    JsonPath done = JobFlowTest.awaitTerminal(id.toString());
    assertThat(done.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(done.getInt("attempt")).isEqualTo(3);
  }

  @Test
  void imageOverTheMemoryBudgetIsRefusedAtIntakeNamingTheLimit() throws Exception {
    // Issue 14: the worker announces its budget, so such a job never reaches it (it used to fail
    // there, attempt 1, naming the budget); WorkerControlTest checks the whole answer.
    TestKeys.asSubmitter("job-flow")
        .contentType("application/json")
        .body("{\"prompt\":\"a purple sneaker\",\"width\":1024,\"height\":1024}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(422)
        .body("detail", org.hamcrest.Matchers.containsString("1024x1024"))
        .body(
            "detail",
            org.hamcrest.Matchers.containsString(String.valueOf(TestWorker.BUDGET_PIXELS)));
  }

  @Test
  void imageOverTheBudgetUsesItsFallbackProfileWhenAllowed() throws Exception {
    String id =
        JobFlowTest.submit(
            "{\"prompt\":\"a purple sneaker\",\"width\":1024,\"height\":1024,\"fallbackProfile\":\"draft\"}");
    JsonPath job = JobFlowTest.awaitTerminal(id);
    assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(job.getString("fallbackProfile")).isEqualTo("draft");
    assertThat(job.getInt("images[0].width")).isEqualTo(512);
    assertThat(job.getString("images[0].fallbackProfile")).isEqualTo("draft");
    assertThat(Path.of(job.getString("images[0].path"))).exists();
  }

  @Test
  void batchOverTheBudgetIsSplit() throws Exception {
    String id = JobFlowTest.submit("{\"prompt\":\"a yellow lamp\",\"count\":4}");
    JsonPath job = JobFlowTest.awaitTerminal(id);
    assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
    // 4 x 512x512 = 1,048,576 px > 1,000,000: no batch may hold all four.
    assertThat(job.getList("images.batchSize", Integer.class)).allMatch(n -> n <= 3);
  }

  @Test
  void unknownFallbackProfileIsA400() {
    asAdmin()
        .contentType("application/json")
        .body("{\"prompt\":\"a mug\",\"fallbackProfile\":\"tiny\"}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors.field", org.hamcrest.Matchers.hasItem("fallbackProfile"));
  }

  private static void publishFailure(UUID id, int attempt) throws Exception {
    ResultMessage m =
        new ResultMessage(
            ResultMessage.SCHEMA,
            id,
            attempt,
            0,
            ResultMessage.Status.FAILED,
            "simulated failure of attempt " + attempt,
            null,
            5,
            512,
            512,
            10,
            6.0,
            "m",
            "ghost",
            1,
            0,
            0,
            null,
            null,
            System.currentTimeMillis(),
            true,
            null,
            null,
            null,
            null,
            null,
            null);
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, FarmServicesResource.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      p.send(TestRecords.result(m)).get();
    }
  }

  /** A job row as the dispatcher would have left it, without sending anything to Kafka. */
  private static UUID insertJob(String state, int attempt, String leaseFromNow, String prompt)
      throws Exception {
    UUID id = UUID.randomUUID();
    try (Connection c = FarmServicesResource.superuser();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO job (id, team, state, prompt, profile, width, height, steps, guidance,"
                    + " seeds, image_count, attempt, dispatched_at, lease_until) VALUES (?, 'qa', ?,"
                    + " ?, 'draft', 512, 512, 10, 6.0, '{7}', 1, ?, now(), now() + ?::interval)")) {
      ps.setObject(1, id);
      ps.setString(2, state);
      ps.setString(3, prompt);
      ps.setInt(4, attempt);
      ps.setString(5, leaseFromNow);
      ps.executeUpdate();
    }
    return id;
  }
}
