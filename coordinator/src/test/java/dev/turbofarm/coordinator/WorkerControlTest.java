package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static dev.turbofarm.coordinator.TestKeys.asSubmitter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admin control of a worker on the real path: the command is recorded, sent on the control topic,
 * applied by the in-JVM test worker (its heartbeat says so) and audited; a cordoned or draining
 * worker takes no job until uncordoned. And the capabilities the worker announces: a job no known
 * worker can render is refused at once, naming the limit.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class WorkerControlTest {
  private static final String TEAM = "control-team";

  @BeforeAll
  static void startWorker() {
    TestWorker.ensureStarted();
  }

  private static Map<String, Object> worker(String id) {
    return asAdmin()
        .get("/api/v1/admin/workers")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getMap("find { it.id == '" + id + "' }");
  }

  private static JsonPath command(String id, String verb, String reason) {
    return asAdmin()
        .contentType("application/json")
        .body("{\"reason\":\"" + reason + "\"}")
        .post("/api/v1/admin/workers/" + id + "/" + verb)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static void awaitApplied(String applied) {
    await("the test worker applies " + applied)
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> java.util.Objects.equals(worker(TestWorker.ID).get("controlApplied"), applied));
  }

  private static String submit(String prompt) {
    return asSubmitter(TEAM)
        .contentType("application/json")
        .body("{\"prompt\":\"" + prompt + "\",\"team\":\"" + TEAM + "\"}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  private static String state(String job) {
    return asAdmin().get("/api/v1/jobs/" + job).then().statusCode(200).extract().path("state");
  }

  @Test
  void aCordonedWorkerTakesNoJobUntilUncordoned() {
    try {
      JsonPath cordoned = command(TestWorker.ID, "cordon", "disk check on the GPU host");
      assertThat(cordoned.getString("state")).isEqualTo("CORDONED");
      assertThat(cordoned.getString("controlReason")).isEqualTo("disk check on the GPU host");
      awaitApplied("CORDONED");

      String job = submit("a cordoned teapot");
      // Two seconds without a render: the only worker of the model does not poll.
      await("the job waits while the worker is cordoned")
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> state(job), s -> !s.equals("SUCCEEDED"));

      JsonPath back = command(TestWorker.ID, "uncordon", "disk is fine");
      assertThat(back.getString("state")).isIn("READY", "BUSY");
      awaitApplied(null);
      await("the job renders once uncordoned")
          .atMost(Duration.ofSeconds(60))
          .until(() -> state(job), "SUCCEEDED"::equals);

      asAdmin()
          .get("/api/v1/admin/audit?action=worker.cordon&target=worker:" + TestWorker.ID)
          .then()
          .statusCode(200)
          .body("events[0].detail", equalTo("disk check on the GPU host"));
    } finally {
      command(TestWorker.ID, "uncordon", "test cleanup");
    }
  }

  @Test
  void aDrainingWorkerShowsDrainingAndTakesNothingMore() {
    try {
      assertThat(command(TestWorker.ID, "drain", "node upgrade").getString("state"))
          .isEqualTo("DRAINING");
      awaitApplied("DRAINING");
      String job = submit("a drained teapot");
      await("the job waits while the worker drains")
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> state(job), s -> !s.equals("SUCCEEDED"));
      assertThat(worker(TestWorker.ID).get("jobsInFlight")).isEqualTo(0);
      command(TestWorker.ID, "uncordon", "upgrade done");
      await("the job renders after the drain is lifted")
          .atMost(Duration.ofSeconds(60))
          .until(() -> state(job), "SUCCEEDED"::equals);
    } finally {
      command(TestWorker.ID, "uncordon", "test cleanup");
    }
  }

  @Test
  void commandsToAnUnknownWorkerAre404AndOnlyForAdmins() {
    asAdmin()
        .post("/api/v1/admin/workers/no-such-worker/cordon")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    asSubmitter(TEAM)
        .post("/api/v1/admin/workers/" + TestWorker.ID + "/cordon")
        .then()
        .statusCode(403);
    asAdmin()
        .contentType("application/json")
        .body("{\"reason\":\"" + "x".repeat(501) + "\"}")
        .post("/api/v1/admin/workers/" + TestWorker.ID + "/drain")
        .then()
        .statusCode(400)
        .body(containsString("reason"));
    assertThat(worker(TestWorker.ID).get("controlReason")).isNotEqualTo("x".repeat(501));
  }

  @Test
  void theWorkerAnnouncesItsMemoryBudget() {
    await("the test worker's budget is known")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> worker(TestWorker.ID).get("memoryBudgetPixels"),
            b -> b != null && ((Number) b).longValue() == TestWorker.BUDGET_PIXELS);
  }

  @Test
  void aJobNoKnownWorkerCanRenderIs422NamingTheLimit() {
    theWorkerAnnouncesItsMemoryBudget();
    asSubmitter(TEAM)
        .contentType("application/json")
        .body(
            "{\"prompt\":\"a huge teapot\",\"width\":1024,\"height\":1024,\"team\":\""
                + TEAM
                + "\"}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("limitPixels", equalTo((int) TestWorker.BUDGET_PIXELS))
        .body("detail", containsString("1048576 pixels"))
        .body("detail", containsString(String.valueOf(TestWorker.BUDGET_PIXELS)))
        .body("errors[0].field", equalTo("width"));
  }
}
