package dev.turbofarm.model.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Standard normal noise drawn on the CPU in Java, one stream per seed. The engine's global
 * generator is never used: with it, an image's noise would depend on its neighbours in the batch.
 */
public final class Noise {
  private Noise() {}

  /** Fills {@code out} with N(0, 1) samples from {@code random} (Box-Muller, both outputs used). */
  public static void fillGaussian(SplittableRandom random, float[] out) {
    int i = 0;
    while (i < out.length) {
      // 1 - u keeps the logarithm's argument in (0, 1]
      double u1 = 1.0 - random.nextDouble();
      double u2 = random.nextDouble();
      double r = Math.sqrt(-2.0 * Math.log(u1));
      out[i++] = (float) (r * Math.cos(2.0 * Math.PI * u2));
      if (i < out.length) {
        out[i++] = (float) (r * Math.sin(2.0 * Math.PI * u2));
      }
    }
  }

  /** One image's noise of {@code shape} (without batch axis), fully determined by {@code seed}. */
  public static float[] gaussian(long seed, Shape shape) {
    float[] data = new float[Math.toIntExact(shape.size())];
    fillGaussian(new SplittableRandom(seed), data);
    return data;
  }

  /** A batch [B, ...shape] whose row i depends only on {@code seeds.get(i)}. */
  public static NDArray batch(NDManager manager, List<Long> seeds, Shape shape) {
    NDList rows = new NDList(seeds.size());
    for (long seed : seeds) {
      rows.add(manager.create(gaussian(seed, shape), shape));
    }
    return NDArrays.stack(rows);
  }
}
