package dev.turbofarm.coordinator.job.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.coordinator.job.persistence.ResultTarget;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A result against its job: what is refused (dead-lettered), what is late, what is recorded. */
class ResultChecksTest {
  private static final UUID JOB = UUID.fromString("ab000000-0000-4000-8000-000000000001");

  private static ResultTarget job(JobState state, int attempt) {
    return new ResultTarget(
        JOB, state, attempt, 2, List.of(10L, 11L), 512, 512, 10, 6.0, "draft", 256, 256, 4);
  }

  private static ResultMessage image(int attempt, int index, long seed, int w, String fallback) {
    return new ResultMessage(
        1,
        JOB,
        attempt,
        index,
        ResultMessage.Status.SUCCEEDED,
        null,
        "/worker/root/" + ResultPaths.key(JOB, index),
        seed,
        w,
        w,
        w == 512 ? 10 : 4,
        6.0,
        "m",
        "w",
        1,
        1,
        1,
        null,
        null,
        1,
        false,
        fallback,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void theImageItsJobWasSentForPasses() {
    assertThat(ResultChecks.problem(image(2, 1, 11, 512, null), job(JobState.DISPATCHED, 2)))
        .isNull();
    // Its fallback profile's settings, when the job allows one.
    assertThat(ResultChecks.problem(image(2, 0, 10, 256, "draft"), job(JobState.DISPATCHED, 2)))
        .isNull();
    // The dispatcher's commit may come after a fast worker's result (see JobRepository).
    assertThat(ResultChecks.problem(image(3, 0, 10, 512, null), job(JobState.QUEUED, 2))).isNull();
  }

  @Test
  void forgedOrCorruptResultsAreRefusedWithTheReason() {
    ResultTarget t = job(JobState.SUCCEEDED, 2);
    assertThat(ResultChecks.problem(image(2, 0, 10, 512, null), null)).contains("no job");
    assertThat(ResultChecks.problem(image(2, 2, 10, 512, null), t)).contains("image index 2");
    assertThat(ResultChecks.problem(image(9, 0, 10, 512, null), t)).contains("never dispatched");
    assertThat(ResultChecks.problem(image(2, 0, 999, 512, null), t)).contains("seed 999");
    assertThat(ResultChecks.problem(image(2, 0, 10, 1024, null), t)).contains("settings");
    assertThat(ResultChecks.problem(image(2, 0, 10, 256, "other"), t)).contains("settings");
    ResultMessage elsewhere =
        new ResultMessage(
            1,
            JOB,
            2,
            0,
            ResultMessage.Status.SUCCEEDED,
            null,
            "/etc/passwd",
            10,
            512,
            512,
            10,
            6.0,
            "m",
            "w",
            1,
            1,
            1,
            null,
            null,
            1,
            false,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThat(ResultChecks.problem(elsewhere, t)).contains("path does not end with");
  }

  @Test
  void anOlderAttemptsImageIsLateNotWrong() {
    ResultTarget t = job(JobState.DISPATCHED, 3);
    ResultMessage late = image(2, 0, 10, 512, null);
    assertThat(ResultChecks.problem(late, t)).isNull();
    assertThat(ResultChecks.isStale(late, t)).isTrue();
    assertThat(ResultChecks.isStale(image(3, 0, 10, 512, null), t)).isFalse();
  }

  @Test
  void theDerivedPathIsUnderTheRoot() {
    assertThat(ResultPaths.path(java.nio.file.Path.of("/data/results"), JOB, 3))
        .isEqualTo("/data/results/ab/" + JOB + "/3.png");
  }
}
