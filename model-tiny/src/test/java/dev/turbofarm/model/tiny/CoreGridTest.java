package dev.turbofarm.model.tiny;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoreGridTest {

  @Test
  void coreKeepsTheShortSideAndTheAspect() {
    assertThat(CoreGrid.coreSize(32, 32)).containsExactly(16, 16);
    assertThat(CoreGrid.coreSize(256, 256)).containsExactly(16, 16);
    assertThat(CoreGrid.coreSize(72, 128)).containsExactly(16, 28);
    assertThat(CoreGrid.coreSize(128, 72)).containsExactly(28, 16);
    assertThat(CoreGrid.coreSize(32, 256)).containsExactly(16, 128);
  }

  @Test
  void projectionHasOrthonormalColumns() {
    for (int[] nm : new int[][] {{32, 16}, {72, 16}, {128, 28}, {256, 16}}) {
      int n = nm[0];
      int m = nm[1];
      float[] q = CoreGrid.q(n, m);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          double dot = 0;
          for (int k = 0; k < n; k++) {
            dot += (double) q[k * m + i] * q[k * m + j];
          }
          assertThat(dot)
              .as("n=%d m=%d (%d,%d)", n, m, i, j)
              .isCloseTo(i == j ? 1 : 0, org.assertj.core.data.Offset.offset(1e-4));
        }
      }
    }
  }

  @Test
  void projectionIsSmoothAndLocal() {
    // Q is close to the scaled bilinear upsampling: each column peaks where its core cell lies
    int n = 64;
    int m = 16;
    float[] q = CoreGrid.q(n, m);
    for (int j = 0; j < m; j++) {
      int best = 0;
      for (int k = 0; k < n; k++) {
        if (q[k * m + j] > q[best * m + j]) {
          best = k;
        }
      }
      assertThat(best / 4).isEqualTo(j);
    }
  }
}
