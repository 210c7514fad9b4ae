package dev.turbofarm.worker.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RenderTimeTest {
  private final SplittableRandom random = new SplittableRandom(7);

  @Test
  void aFixedTimeIsTheSameForEveryBatch() {
    RenderTime t = RenderTime.parse("20");
    assertThat(t.batchMs(512, 512, 10, 1, random)).isEqualTo(20);
    assertThat(t.batchMs(1024, 1024, 30, 8, random)).isEqualTo(20);
  }

  @Test
  void aLognormalTimeHasTheGivenMedianAndALongRightTail() {
    RenderTime t = RenderTime.parse("40:lognormal:0.5");
    List<Long> draws = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      draws.add(t.batchMs(512, 512, 10, 8, random));
    }
    Collections.sort(draws);
    assertThat(draws.get(draws.size() / 2)).isBetween(38L, 42L);
    // exp(0.5 x 2.326) = 3.2: the 99th percentile is about three times the median.
    assertThat(draws.get(draws.size() * 99 / 100)).isBetween(115L, 140L);
    // The control: sigma 0 is the fixed time.
    assertThat(RenderTime.parse("40:lognormal:0").batchMs(512, 512, 10, 8, random)).isEqualTo(40);
  }

  @Test
  void theCostModelGrowsWithPixelsStepsAndImages() {
    RenderTime t = RenderTime.parse("cost:100:30");
    // 1 megapixel x 8 steps x 1 image x 100 ms + 30 ms base.
    assertThat(t.batchMs(1000, 1000, 8, 1, random)).isEqualTo(830);
    assertThat(t.batchMs(1000, 1000, 8, 4, random)).isEqualTo(3230);
    assertThat(t.batchMs(500, 500, 8, 4, random)).isEqualTo(830);
  }

  @Test
  void aBadSpecNamesTheAcceptedForms() {
    assertThatThrownBy(() -> RenderTime.parse("fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--render-ms 'fast'")
        .hasMessageContaining("MEDIAN_MS:lognormal:SIGMA");
    assertThatThrownBy(() -> RenderTime.parse("-5")).hasMessageContaining("at least 0 ms");
    assertThatThrownBy(() -> RenderTime.parse("20:gamma:1"))
        .hasMessageContaining("cost:MS_PER_MEGAPIXEL_STEP");
  }
}
