package dev.turbofarm.model.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class NoiseTest {

  @Test
  void sameSeedSameNoiseDifferentSeedDifferentNoise() {
    Shape shape = new Shape(4, 8, 8);
    assertThat(Noise.gaussian(42, shape)).containsExactly(Noise.gaussian(42, shape));
    assertThat(Noise.gaussian(42, shape)).isNotEqualTo(Noise.gaussian(43, shape));
  }

  @Test
  void noiseIsStandardNormal() {
    float[] n = Noise.gaussian(1, new Shape(100_000));
    double sum = 0;
    double sumSq = 0;
    for (float v : n) {
      sum += v;
      sumSq += v * v;
    }
    double mean = sum / n.length;
    double var = sumSq / n.length - mean * mean;
    assertThat(mean).isBetween(-0.02, 0.02);
    assertThat(var).isBetween(0.97, 1.03);
  }

  @Test
  void scheduleRunsFromNoiseToImage() {
    double[] ts = new FlowMatchSampler(3.0).schedule(10);
    assertThat(ts).hasSize(11);
    assertThat(ts[0]).isEqualTo(1.0);
    assertThat(ts[10]).isEqualTo(0.0);
    for (int i = 0; i < 10; i++) {
      assertThat(ts[i + 1]).isLessThan(ts[i]);
    }
    // a shift above 1 keeps more of the steps at high noise than the uniform schedule
    assertThat(ts[5]).isGreaterThan(new FlowMatchSampler(1.0).schedule(10)[5]);
  }
}
