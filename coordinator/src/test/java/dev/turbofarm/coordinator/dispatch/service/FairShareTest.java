package dev.turbofarm.coordinator.dispatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbofarm.coordinator.config.FarmConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Water-filling of free in-flight slots by team weight. */
class FairShareTest {
  private static Map<String, Long> load(Object... teamAndInFlight) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < teamAndInFlight.length; i += 2) {
      m.put((String) teamAndInFlight[i], ((Number) teamAndInFlight[i + 1]).longValue());
    }
    return m;
  }

  @Test
  void equalWeightsSplitEvenly() {
    assertThat(FairShare.allot(load("a", 0, "b", 0), 16, t -> 1))
        .containsEntry("a", 8)
        .containsEntry("b", 8);
  }

  @Test
  void slotsFollowWeights() {
    assertThat(FairShare.allot(load("a", 0, "b", 0), 16, t -> t.equals("b") ? 3 : 1))
        .containsEntry("a", 4)
        .containsEntry("b", 12);
  }

  @Test
  void aTeamAlreadyInFlightWaitsUntilTheOtherCatchesUp() {
    assertThat(FairShare.allot(load("a", 10, "b", 2), 8, t -> 1))
        .doesNotContainKey("a")
        .containsEntry("b", 8);
    assertThat(FairShare.allot(load("a", 10, "b", 2), 12, t -> 1))
        .containsEntry("a", 2)
        .containsEntry("b", 10);
  }

  @Test
  void theWindowIsTwiceTheReadyWorkersBatchesWithinItsBounds() {
    FarmConfig.Dispatcher c = dispatcher(2.0, 0, 5000);
    assertThat(FairShare.window(16, c)).as("two workers of batch 8").isEqualTo(32);
    assertThat(FairShare.window(1600, c)).as("200 simulated workers of batch 8").isEqualTo(3200);
    assertThat(FairShare.window(0, c)).as("no worker ready: bulk jobs wait queued").isZero();
    assertThat(FairShare.window(10_000, c)).as("the cap").isEqualTo(5000);
    assertThat(FairShare.window(0, dispatcher(2.0, 8, 5000))).as("the floor").isEqualTo(8);
    assertThat(FairShare.window(16, dispatcher(1.0, 0, 5000))).isEqualTo(16);
  }

  private static FarmConfig.Dispatcher dispatcher(double perImage, int min, int max) {
    return new FarmConfig.Dispatcher() {
      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public int claimSize() {
        return 500;
      }

      @Override
      public Duration idlePoll() {
        return Duration.ofSeconds(1);
      }

      @Override
      public Duration retryBackoff() {
        return Duration.ofSeconds(2);
      }

      @Override
      public double inFlightPerBatchImage() {
        return perImage;
      }

      @Override
      public boolean interactiveLane() {
        return true;
      }

      @Override
      public int minInFlight() {
        return min;
      }

      @Override
      public int maxInFlight() {
        return max;
      }

      @Override
      public Duration windowRefresh() {
        return Duration.ofMillis(500);
      }
    };
  }
}
