package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static dev.turbofarm.coordinator.TestKeys.asSubmitter;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbofarm.coordinator.metrics.service.FarmMetrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The farm's metrics as Prometheus scrapes them, after real jobs went through the in-JVM test
 * worker; and the capacity signal from a real backlog (dispatch paused while it is measured).
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class MetricsTest {
  private static final String TEAM = "metrics-team";

  @BeforeAll
  static void startWorker() {
    TestWorker.ensureStarted();
  }

  private static String scrape() {
    int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    return given()
        .when()
        .get("http://localhost:" + port + "/q/metrics")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  /** The value of the first sample of {@code name} whose labels contain every label given. */
  private static Double sample(String metrics, String name, String... labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
    while (m.find()) {
      String l = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String label : labels) {
        all &= l.contains(label);
      }
      if (all) {
        return Double.parseDouble(m.group(2));
      }
    }
    return null;
  }

  private static String submit(String prompt) {
    return asSubmitter(TEAM)
        .contentType("application/json")
        .body("{\"prompt\":\"" + prompt + "\",\"seed\":7,\"team\":\"" + TEAM + "\"}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  private static void awaitSucceeded(String id) {
    await("job " + id + " succeeds")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> asAdmin().get("/api/v1/jobs/" + id).then().extract().path("state"),
            "SUCCEEDED"::equals);
  }

  @Test
  void aRenderedJobShowsInTheMetrics() {
    awaitSucceeded(submit("a red kettle for the metrics"));
    await("the gauges are refreshed")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String m = scrape();
              // Histograms by model and size, from the recorded result.
              Double renders =
                  sample(m, "turbofarm_image_render_seconds_count", "model=\"", "size=\"512x512\"");
              assertThat(renders)
                  .as("renders of 512x512 images")
                  .isNotNull()
                  .isGreaterThanOrEqualTo(1);
              assertThat(sample(m, "turbofarm_image_render_seconds_bucket", "le=\"+Inf\""))
                  .isNotNull()
                  .isGreaterThanOrEqualTo(1);
              assertThat(sample(m, "turbofarm_queue_wait_seconds_count", "model=\""))
                  .isNotNull()
                  .isGreaterThanOrEqualTo(1);
              assertThat(sample(m, "turbofarm_queue_wait_seconds_sum", "model=\""))
                  .isNotNull()
                  .isGreaterThanOrEqualTo(0);
              assertThat(sample(m, "turbofarm_batch_size_images_count", "model=\""))
                  .isNotNull()
                  .isGreaterThanOrEqualTo(1);
              assertThat(sample(m, "turbofarm_batch_size_images_max", "model=\""))
                  .isNotNull()
                  .isBetween(1.0, 4.0);
              // Counters of the job path.
              assertThat(sample(m, "turbofarm_jobs_succeeded_total"))
                  .isNotNull()
                  .isGreaterThanOrEqualTo(1);
              assertThat(sample(m, "turbofarm_jobs_dispatched_total"))
                  .isNotNull()
                  .isGreaterThanOrEqualTo(1);
              assertThat(sample(m, "turbofarm_jobs_accepted_total"))
                  .isNotNull()
                  .isGreaterThanOrEqualTo(1);
              assertThat(sample(m, "turbofarm_images_recorded_total"))
                  .isNotNull()
                  .isGreaterThanOrEqualTo(1);
              assertThat(sample(m, "turbofarm_jobs_failed_total")).isNotNull();
              assertThat(sample(m, "turbofarm_storage_stored_bytes_total"))
                  .isNotNull()
                  .isGreaterThan(0);
              // Gauges from the refresher: the test worker is ready or busy, none is lost.
              Double ready = sample(m, "turbofarm_workers", "state=\"READY\"");
              Double busy = sample(m, "turbofarm_workers", "state=\"BUSY\"");
              assertThat(ready).isNotNull();
              assertThat(busy).isNotNull();
              assertThat(ready + busy).isGreaterThanOrEqualTo(1);
              assertThat(sample(m, "turbofarm_workers", "state=\"LOST\"")).isNotNull();
              assertThat(sample(m, FarmMetrics.DESIRED_WORKERS_PROMETHEUS)).isNotNull();
              // The job went through a workers' share group: its lag is read from Kafka (0 or
              // more: other tests' jobs may wait).
              assertThat(
                      sample(
                          m,
                          "turbofarm_kafka_share_lag",
                          "group=\"turbofarm-workers",
                          "topic=\"turbofarm.jobs."))
                  .isNotNull()
                  .isGreaterThanOrEqualTo(0);
            });
  }

  @Test
  void theBacklogShowsAsQueueDepthAndDesiredWorkers() {
    asAdmin()
        .contentType("application/json")
        .body("{\"reason\":\"metrics test\"}")
        .post("/api/v1/admin/dispatch/pause")
        .then()
        .statusCode(200);
    List<String> ids = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        ids.add(submit("a queued teapot " + i));
      }
      JsonPath capacity =
          asAdmin().get("/api/v1/admin/capacity").then().statusCode(200).extract().jsonPath();
      assertThat(capacity.getLong("backlogJobs")).isGreaterThanOrEqualTo(5);
      // Five drafts (512x512, 10 steps, one image each) at least.
      assertThat(capacity.getDouble("backlogPixelSteps"))
          .isGreaterThanOrEqualTo(5 * 512.0 * 512 * 10);
      double workerSeconds = 0;
      for (Object s : capacity.getList("sizes")) {
        workerSeconds += ((Number) ((java.util.Map<?, ?>) s).get("workerSeconds")).doubleValue();
      }
      long expected =
          (long) Math.ceil(workerSeconds / capacity.getDouble("targetDrainSeconds") - 1e-9);
      assertThat(capacity.getLong("unboundedWorkers"))
          .isEqualTo(expected)
          .isGreaterThanOrEqualTo(1);
      assertThat(capacity.getLong("desiredWorkers"))
          .isEqualTo(
              Math.max(
                  capacity.getInt("minWorkers"),
                  Math.min(capacity.getInt("maxWorkers"), expected)));
      assertThat(capacity.getString("sizes[0].throughputSource"))
          .isIn("size", "overall", "default");

      await("queue depth shows the team's queued jobs")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                String m = scrape();
                assertThat(
                        sample(
                            m,
                            "turbofarm_queue_depth",
                            "team=\"" + TEAM + "\"",
                            "state=\"QUEUED\"",
                            "priority=\""))
                    .isNotNull()
                    .isGreaterThanOrEqualTo(5);
                assertThat(sample(m, FarmMetrics.DESIRED_WORKERS_PROMETHEUS))
                    .isNotNull()
                    .isGreaterThanOrEqualTo(1);
              });
    } finally {
      asAdmin().post("/api/v1/admin/dispatch/resume").then().statusCode(200);
    }
    ids.forEach(MetricsTest::awaitSucceeded);
  }

  @Test
  void onlyAdminsReadTheCapacity() {
    asSubmitter(TEAM).get("/api/v1/admin/capacity").then().statusCode(403);
    given().get("/api/v1/admin/capacity").then().statusCode(401);
  }
}
