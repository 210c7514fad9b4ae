package dev.turbofarm.coordinator.dispatch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.turbofarm.coordinator.config.FarmConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Water-filling of free in-flight slots by team weight and recent usage. */
class FairShareTest {
  private static Map<String, Double> load(Object... teamAndInFlight) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < teamAndInFlight.length; i += 2) {
      m.put((String) teamAndInFlight[i], ((Number) teamAndInFlight[i + 1]).doubleValue());
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
  void recentUsageHalvesEveryHalfLifeAndIsForgottenWhenTiny() {
    AtomicLong now = new AtomicLong(1_000);
    long halfLife = Duration.ofSeconds(60).toNanos();
    TeamUsage usage = new TeamUsage(halfLife, now::get);
    usage.charge("a", 64);
    assertThat(usage.of("a")).isEqualTo(64.0);
    assertThat(usage.of("b")).isZero();
    now.addAndGet(halfLife);
    usage.charge("b", 8);
    assertThat(usage.of("a")).isCloseTo(32.0, within(1e-9));
    assertThat(usage.of("b")).isEqualTo(8.0);
    now.addAndGet(13 * halfLife);
    assertThat(usage.of("a")).as("64 / 2^14 is below a hundredth: forgotten").isZero();
    TeamUsage off = new TeamUsage(0, now::get);
    off.charge("a", 64);
    assertThat(off.of("a")).as("half-life 0: in-flight jobs only").isZero();
  }

  @Test
  void aTeamThatHadTheFarmToItselfYieldsUntilTheNewcomerCatchesUp() {
    // a: 32 in flight and 40 dispatched recently (it ran alone); b just queued its catalogue.
    Map<String, Double> load = load("a", 32 + 40.0, "b", 0);
    assertThat(FairShare.allot(load, 16, t -> 1)).doesNotContainKey("a").containsEntry("b", 16);
    assertThat(FairShare.allot(load, 96, t -> 1)).containsEntry("a", 12).containsEntry("b", 84);
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

      @Override
      public Duration fairShareHalfLife() {
        return Duration.ofSeconds(60);
      }
    };
  }
}
