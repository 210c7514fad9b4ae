package dev.turbofarm.model.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared flow-matching sampler: x_t = (1 - t) x0 + t noise, the network predicts the velocity
 * noise - x0, and Euler steps integrate from t = 1 (noise) to t = 0 (image). Classifier-free
 * guidance runs the conditional and unconditional rows as one forward of 2B rows.
 */
public final class FlowMatchSampler {
  private final double shift;

  /**
   * @param shift time-schedule shift (SD3 / Z-Image style): values above 1 spend more of the steps
   *     at high noise, where the layout is decided; 1 is a uniform schedule
   */
  public FlowMatchSampler(double shift) {
    if (!(shift > 0)) {
      throw new IllegalArgumentException("shift must be positive: " + shift);
    }
    this.shift = shift;
  }

  /** The {@code steps + 1} times from 1 down to 0. */
  public double[] schedule(int steps) {
    double[] ts = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      double u = 1.0 - (double) i / steps;
      ts[i] = shift * u / (1.0 + (shift - 1.0) * u);
    }
    return ts;
  }

  /**
   * Samples clean latents for a batch that shares size, steps and guidance.
   *
   * @return latents [B, C, height/8, width/8] in {@code manager}
   */
  public NDArray sample(
      NDManager manager, TextEncoder encoder, Denoiser denoiser, List<RenderRequest> batch) {
    return sample(manager, encoder, denoiser, batch, StepBoundary.NONE);
  }

  /**
   * Samples as {@link #sample(NDManager, TextEncoder, Denoiser, List)} does, calling {@code
   * boundary} after every step but the last.
   */
  public NDArray sample(
      NDManager manager,
      TextEncoder encoder,
      Denoiser denoiser,
      List<RenderRequest> batch,
      StepBoundary boundary) {
    RenderRequest first = batch.get(0);
    int h = first.height() / LatentDecoder.DOWNSCALE;
    int w = first.width() / LatentDecoder.DOWNSCALE;
    int b = batch.size();
    List<Long> seeds = new ArrayList<>(b);
    List<String> prompts = new ArrayList<>(b);
    List<String> negatives = new ArrayList<>(b);
    for (RenderRequest r : batch) {
      seeds.add(r.seed());
      prompts.add(r.prompt() == null ? "" : r.prompt());
      negatives.add(r.negativePrompt() == null ? "" : r.negativePrompt());
    }
    double guidance = first.guidance();
    boolean cfg = guidance > 1.0;
    NDArray cond = encoder.encode(manager, prompts);
    if (cfg) {
      // a non-empty negative prompt takes the place of the unconditional embedding
      cond = cond.concat(encoder.encode(manager, negatives), 0);
    }
    NDArray x = Noise.batch(manager, seeds, new Shape(denoiser.latentChannels(), h, w));
    double[] ts = schedule(first.steps());
    for (int i = 0; i < first.steps(); i++) {
      float t = (float) ts[i];
      float dt = (float) (ts[i + 1] - ts[i]);
      NDArray v;
      if (cfg) {
        NDArray both = denoiser.velocity(x.concat(x, 0), full(manager, 2 * b, t), cond);
        NDArray vc = both.get("0:" + b);
        NDArray vu = both.get(b + ":");
        v = vu.add(vc.sub(vu).muli((float) guidance));
      } else {
        v = denoiser.velocity(x, full(manager, b, t), cond);
      }
      x = x.add(v.muli(dt));
      if (i + 1 < first.steps()) {
        boundary.reached();
      }
    }
    return x;
  }

  private static NDArray full(NDManager manager, int n, float value) {
    float[] data = new float[n];
    Arrays.fill(data, value);
    return manager.create(data);
  }
}
