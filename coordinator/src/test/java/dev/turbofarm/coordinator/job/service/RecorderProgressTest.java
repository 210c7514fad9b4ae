package dev.turbofarm.coordinator.job.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecorderProgressTest {
  private static final Duration STALL = Duration.ofMillis(50);

  @Test
  void aStuckPollHoldsLeasesUntilItsBacklogIsCaughtUp() throws Exception {
    RecorderProgress progress = new RecorderProgress();
    progress.handling("results", STALL, () -> {});
    assertThat(progress.behind(STALL)).as("a quick poll").isEmpty();

    CountDownLatch release = new CountDownLatch(1);
    Thread poll =
        new Thread(
            () ->
                progress.handling(
                    "results",
                    STALL,
                    () -> {
                      try {
                        release.await(30, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
    poll.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> progress.behind(STALL).filter(s -> s.contains("results")).isPresent());
    release.countDown();
    poll.join(10_000);
    // Stuck for at least the stall time: the reaper waits about as long again, then goes on.
    assertThat(progress.behind(STALL))
        .hasValueSatisfying(s -> assertThat(s).contains("catching up"));
    await().atMost(Duration.ofSeconds(30)).until(() -> progress.behind(STALL).isEmpty());
  }
}
