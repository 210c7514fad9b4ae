package dev.turbofarm.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  @Test
  void oneSlowRenderNoLongerEndsTheWarmUp() {
    // The old rule stopped here: 913 ms was no faster than 680 ms, yet jobs then took ~330 ms.
    assertThat(Worker.warmedUp(List.of(1136L, 680L, 913L))).isFalse();
    assertThat(Worker.warmedUp(List.of(1136L, 680L, 913L, 500L))).isFalse();
  }

  @Test
  void settledWhenThreeRendersInARowBringNoNewBest() {
    assertThat(Worker.warmedUp(List.of(1136L, 680L, 913L, 420L, 380L, 395L, 390L))).isFalse();
    assertThat(Worker.warmedUp(List.of(1136L, 680L, 913L, 420L, 380L, 395L, 390L, 384L))).isTrue();
    // 5 % better than the best before counts as progress
    assertThat(Worker.warmedUp(List.of(400L, 390L, 395L, 370L))).isFalse();
    assertThat(Worker.warmedUp(List.of(400L, 390L, 395L, 380L))).isTrue();
  }
}
