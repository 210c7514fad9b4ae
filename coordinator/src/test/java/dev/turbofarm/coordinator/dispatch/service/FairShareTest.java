package dev.turbofarm.coordinator.dispatch.service;

import static org.assertj.core.api.Assertions.assertThat;

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
}
