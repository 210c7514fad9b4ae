package dev.turbofarm.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

/**
 * Functional layers over {@link Params}. Activations always come first in each operation so that
 * results land in the caller's per-forward manager, never in the long-lived weights' manager.
 */
final class Nn {
  /** GroupNorm groups; every channel count used is a multiple of it. */
  static final int GROUPS = 8;

  private static final Shape ONE = new Shape(1, 1);

  private Nn() {}

  static NDArray conv(Params p, String name, NDArray x, int stride) {
    NDArray w = p.get(name + ".w");
    long kh = w.getShape().get(2);
    long kw = w.getShape().get(3);
    return Conv2d.conv2d(
            x, w, p.get(name + ".b"), new Shape(stride, stride), new Shape(kh / 2, kw / 2), ONE, 1)
        .singletonOrThrow();
  }

  static void declareConv(Params p, String name, int out, int in, int k, double gain) {
    p.conv(name + ".w", out, in, k, k, gain);
    p.constant(name + ".b", new Shape(out), 0f);
  }

  static NDArray linear(Params p, String name, NDArray x) {
    return Linear.linear(x, p.get(name + ".w"), p.get(name + ".b")).singletonOrThrow();
  }

  static void declareLinear(Params p, String name, int out, int in, double gain) {
    p.linear(name + ".w", out, in, gain);
    p.constant(name + ".b", new Shape(out), 0f);
  }

  static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** GroupNorm over [B, C, H, W] with per-channel scale and shift stored as [1, C, 1, 1]. */
  static NDArray groupNorm(Params p, String name, NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    NDArray g = x.reshape(b, GROUPS, -1);
    NDArray mean = g.mean(new int[] {2}, true);
    NDArray centred = g.sub(mean);
    NDArray var = centred.square().mean(new int[] {2}, true);
    NDArray normed = centred.div(var.add(1e-5f).sqrt()).reshape(s);
    return normed.mul(p.get(name + ".g")).add(p.get(name + ".b"));
  }

  static void declareNorm(Params p, String name, int channels) {
    p.constant(name + ".g", new Shape(1, channels, 1, 1), 1f);
    p.constant(name + ".b", new Shape(1, channels, 1, 1), 0f);
  }

  /** Nearest-neighbour 2x upsampling of [B, C, H, W]. */
  static NDArray up2(NDArray x) {
    return x.repeat(2, 2).repeat(3, 2);
  }

  /** Mean over the spatial axes of [B, C, H, W], giving [B, C]. */
  static NDArray spatialMean(NDArray x) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
  }

  /**
   * Residual block with FiLM conditioning: {@code emb} [B, E] (already through SiLU) gives each
   * channel a scale and shift after the first convolution.
   */
  static NDArray resBlock(Params p, String name, NDArray x, NDArray emb) {
    NDArray h = conv(p, name + ".c1", silu(groupNorm(p, name + ".n1", x)), 1);
    if (emb != null) {
      NDArray film = linear(p, name + ".film", emb);
      long c = h.getShape().get(1);
      NDArray scale = film.get(":, 0:" + c).reshape(-1, c, 1, 1);
      NDArray shift = film.get(":, " + c + ":").reshape(-1, c, 1, 1);
      h = h.mul(scale.add(1f)).add(shift);
    }
    h = conv(p, name + ".c2", silu(groupNorm(p, name + ".n2", h)), 1);
    return x.add(h);
  }

  static void declareResBlock(Params p, String name, int channels, int embDim) {
    declareNorm(p, name + ".n1", channels);
    declareConv(p, name + ".c1", channels, channels, 3, 1.0);
    if (embDim > 0) {
      // starts as the identity modulation, so an untrained block passes features through
      declareLinear(p, name + ".film", 2 * channels, embDim, 0.1);
    }
    declareNorm(p, name + ".n2", channels);
    declareConv(p, name + ".c2", channels, channels, 3, 0.3);
  }
}
