package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static dev.turbofarm.coordinator.TestKeys.asSubmitter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbofarm.coordinator.worker.persistence.QuarantineRepository;
import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.model.api.RetriableRenderException;
import dev.turbofarm.testfixtures.ChaosPipeline;
import dev.turbofarm.worker.Worker;
import dev.turbofarm.worker.WorkerConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * A worker made to fail every render, beside the healthy test worker on the same model: it is
 * quarantined after {@code turbofarm.quarantine.failures} failures, takes no more jobs, shows as
 * QUARANTINED with the reason, and every job it touched still succeeds on the healthy worker with
 * its attempts intact; an admin releases it.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class QuarantineTest {
  private static final String BAD = "bad-gpu-worker";
  private static final String TEAM = "quarantine-team";

  /** Renders the warm-up image (so the worker becomes READY), fails every job. */
  private static final class FailingPipeline implements Pipeline {
    private final ChaosPipeline fine = new ChaosPipeline(0);

    @Override
    public String modelId() {
      return ChaosPipeline.MODEL_ID;
    }

    @Override
    public List<RenderedImage> render(List<RenderRequest> batch) {
      if (batch.stream().allMatch(r -> r.prompt().startsWith("a red mug on a white background"))) {
        return fine.render(batch);
      }
      throw new RetriableRenderException(
          "simulated CUDA error: an illegal memory access", new IllegalStateException("bad GPU"));
    }

    @Override
    public void close() {}
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

  private static String submit(int i) {
    return asSubmitter(TEAM)
        .contentType("application/json")
        .body("{\"prompt\":\"a quarantined teapot " + i + "\",\"team\":\"" + TEAM + "\"}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  @Inject QuarantineRepository failures;

  @Test
  void aJobThatFailsOnTwoWorkersCountsAgainstNeitherAndARetriedJobCountsOnce() throws Exception {
    String poison = submit(1001);
    String other = submit(1002);
    try (var c = FarmServicesResource.superuser();
        var ps =
            c.prepareStatement(
                "INSERT INTO worker_failure (job_id, attempt, worker_id, model_id)"
                    + " VALUES (?::uuid, ?, ?, 'm')")) {
      // The poison job failed on gpu-a, then on gpu-b; the other job failed twice on gpu-a.
      Object[][] rows = {
        {poison, 91, "gpu-a"}, {poison, 92, "gpu-b"}, {other, 91, "gpu-a"}, {other, 92, "gpu-a"}
      };
      for (Object[] r : rows) {
        ps.setString(1, (String) r[0]);
        ps.setInt(2, (Integer) r[1]);
        ps.setString(3, (String) r[2]);
        ps.executeUpdate();
      }
    }
    long window = Duration.ofMinutes(10).toMillis();
    assertThat(failures.recentFailures("gpu-a", window))
        .as("gpu-a: the job that failed nowhere else, once however often it failed")
        .isEqualTo(1);
    assertThat(failures.recentFailures("gpu-b", window))
        .as("gpu-b: its one failure was of a job that fails everywhere")
        .isZero();
  }

  @Test
  void aWorkerFailingEveryRenderIsQuarantinedAndItsJobsSucceedElsewhere() throws Exception {
    TestWorker.ensureStarted();
    // The healthy worker renders first, so the farm knows the model works elsewhere.
    JobFlowTest.awaitTerminal(submit(-1));
    Worker bad =
        new Worker(
            new WorkerConfig(
                BAD,
                FarmServicesResource.bootstrap(),
                TestStorage.settings(),
                0,
                "failing",
                1,
                TestWorker.BUDGET_PIXELS,
                Duration.ZERO,
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10)),
            FailingPipeline::new);
    Thread t =
        new Thread(
            () -> {
              try {
                bad.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            BAD);
    t.setDaemon(true);
    t.start();
    try {
      await("the failing worker is ready")
          .atMost(Duration.ofSeconds(60))
          .until(() -> bad.status().ready());
      List<String> jobs = new ArrayList<>();
      // Enough jobs that the failing worker takes its share and more than the limit (3 in tests).
      for (int i = 0; i < 20; i++) {
        jobs.add(submit(i));
      }
      await("the failing worker is quarantined")
          .atMost(Duration.ofSeconds(60))
          .until(() -> "QUARANTINED".equals(worker(BAD).get("state")));
      Map<String, Object> w = worker(BAD);
      assertThat((String) w.get("controlReason"))
          .contains("renders failed")
          .contains(TestWorker.ID);
      await("the failing worker applies its quarantine")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Objects.equals(worker(BAD).get("controlApplied"), "QUARANTINED"));

      int touched = 0;
      for (String id : jobs) {
        JsonPath job = JobFlowTest.awaitTerminal(id);
        assertThat(job.getString("state")).as("job %s", id).isEqualTo("SUCCEEDED");
        assertThat(job.getString("images[0].workerId")).isEqualTo(TestWorker.ID);
        touched += job.getInt("attempt") > 1 ? 1 : 0;
      }
      assertThat(touched).as("jobs the failing worker touched").isGreaterThanOrEqualTo(1);

      // Its failures were given back: no job lost an attempt to it.
      try (var c = FarmServicesResource.superuser();
          var ps =
              c.prepareStatement(
                  "SELECT count(*) FILTER (WHERE NOT refunded), count(*) FROM worker_failure"
                      + " WHERE worker_id = ?")) {
        ps.setString(1, BAD);
        try (var rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(3);
          assertThat(rs.getInt(1)).as("failures still counted against jobs").isZero();
        }
        // Attempts intact: each job used exactly one attempt besides those given back.
        try (var ps2 =
            c.prepareStatement(
                "SELECT count(*) FROM job WHERE id = ANY (?::uuid[])"
                    + " AND attempt - attempts_refunded <> 1")) {
          ps2.setArray(1, c.createArrayOf("text", jobs.toArray()));
          try (var rs = ps2.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).as("jobs that lost an attempt to the failing worker").isZero();
          }
        }
      }
      assertThat(JobFlowTest.metric("turbofarm_workers_quarantined_total"))
          .isGreaterThanOrEqualTo(1);

      asAdmin()
          .contentType("application/json")
          .body("{\"reason\":\"GPU replaced\"}")
          .post("/api/v1/admin/workers/" + BAD + "/release")
          .then()
          .statusCode(200);
      await("the released worker takes jobs again")
          .atMost(Duration.ofSeconds(30))
          .until(() -> worker(BAD).get("controlApplied") == null);
      assertThat(worker(BAD).get("state")).isNotEqualTo("QUARANTINED");
    } finally {
      bad.close();
    }
  }
}
