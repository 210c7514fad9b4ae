package dev.turbofarm.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.coordinator.metrics.service.CapacityPlan;
import dev.turbofarm.coordinator.metrics.service.CapacityPlan.Demand;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityPlanTest {
  /** A 512x512, 10-step image, pixel-steps. */
  private static final double DRAFT = 512.0 * 512 * 10;

  @Test
  void workersAreTheWorkerSecondsOverTheDrainTimeRoundedUp() {
    // 600 drafts at one draft per second per worker: 600 worker-seconds; in 60 s: 10 workers.
    assertThat(CapacityPlan.unbounded(List.of(new Demand(600 * DRAFT, DRAFT)), 60)).isEqualTo(10);
    // One more draft needs an eleventh worker.
    assertThat(CapacityPlan.unbounded(List.of(new Demand(601 * DRAFT, DRAFT)), 60)).isEqualTo(11);
  }

  @Test
  void eachSizeUsesItsOwnThroughput() {
    // 100 drafts at 1/s (100 worker-seconds) plus 50 large images at 0.5/s (100 worker-seconds).
    double large = 1024.0 * 1024 * 30;
    List<Demand> demands =
        List.of(new Demand(100 * DRAFT, DRAFT), new Demand(50 * large, large / 2));
    assertThat(CapacityPlan.unbounded(demands, 100)).isEqualTo(2);
    assertThat(CapacityPlan.unbounded(demands, 20)).isEqualTo(10);
  }

  @Test
  void anEmptyBacklogWantsTheMinimum() {
    assertThat(CapacityPlan.unbounded(List.of(), 60)).isZero();
    assertThat(CapacityPlan.desired(List.of(), 60, 0, 5)).isZero();
    assertThat(CapacityPlan.desired(List.of(), 60, 2, 5)).isEqualTo(2);
  }

  @Test
  void theAnswerIsBoundedByTheMaximum() {
    List<Demand> huge = List.of(new Demand(1_000_000 * DRAFT, DRAFT));
    assertThat(CapacityPlan.unbounded(huge, 60)).isEqualTo(16_667);
    assertThat(CapacityPlan.desired(huge, 60, 1, 40)).isEqualTo(40);
  }

  @Test
  void nonsenseInputsAreRefusedNotDividedBy() {
    assertThatThrownBy(() -> CapacityPlan.unbounded(List.of(new Demand(DRAFT, 0)), 60))
        .hasMessageContaining("throughput");
    assertThatThrownBy(() -> CapacityPlan.unbounded(List.of(), 0))
        .hasMessageContaining("drain time");
  }
}
