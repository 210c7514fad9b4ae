package dev.turbofarm.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.turbofarm.model.api.LatentDecoder;

/**
 * The image autoencoder: 8x downsampling to a 4-channel latent and back. The encoder is used only
 * in training; the decoder renders every image. Latents are normalised per channel with the
 * statistics of the training set, so the denoiser works on unit-variance data.
 *
 * <p>For outputs larger than the core canvas the decoder takes the latent's core coordinates (see
 * {@link CoreGrid}), decodes the core at 8 px per cell, then upsamples with a learned 2x refinement
 * stage per octave and a final bilinear resize to the exact requested size.
 */
public final class LatentAutoencoder implements LatentDecoder {
  // widths shrink towards full resolution, where every channel costs 64 times more than at 1/8
  static final int E0 = 16;
  static final int E1 = 32;
  static final int E2 = 64;
  static final int D1 = 64;
  static final int D2 = 32;
  static final int D3 = 16;

  /** Width of the 2x refinement stage; it runs at full output resolution, so it stays narrow. */
  static final int SR = 16;

  private final Params p;

  public LatentAutoencoder(Params params) {
    this.p = params;
    Nn.declareConv(p, "enc.c0", E0, 3, 3, 1.0);
    Nn.declareConv(p, "enc.c1", E1, E0, 3, 1.0);
    Nn.declareConv(p, "enc.c2", E2, E1, 3, 1.0);
    Nn.declareConv(p, "enc.c3", E2, E2, 3, 1.0);
    Nn.declareConv(p, "enc.out", CoreDenoiser.CHANNELS, E2, 3, 0.5);
    Nn.declareConv(p, "dec.in", D1, CoreDenoiser.CHANNELS, 3, 1.0);
    Nn.declareResBlock(p, "dec.r0", D1, 0);
    Nn.declareConv(p, "dec.c1", D1, D1, 3, 1.0);
    Nn.declareConv(p, "dec.c2", D2, D1, 3, 1.0);
    Nn.declareConv(p, "dec.c3", D3, D2, 3, 1.0);
    Nn.declareConv(p, "dec.out", 3, D3, 3, 0.5);
    Nn.declareConv(p, "sr.c1", SR, 3, 3, 1.0);
    Nn.declareConv(p, "sr.c2", SR, SR, 3, 1.0);
    // zero output: an untrained refinement stage is the identity, i.e. plain bilinear upsampling
    Nn.declareConv(p, "sr.out", 3, SR, 3, 0.0);
    p.constant("stats.latent_mean", new Shape(1, CoreDenoiser.CHANNELS, 1, 1), 0f);
    p.constant("stats.latent_std", new Shape(1, CoreDenoiser.CHANNELS, 1, 1), 1f);
  }

  /** Raw (unnormalised) latent of images [B, 3, H, W] in [0, 1]; H and W multiples of 8. */
  public NDArray encodeRaw(NDArray image) {
    NDArray x = image.mul(2f).sub(1f);
    x = Nn.silu(Nn.conv(p, "enc.c0", x, 1));
    x = Nn.silu(Nn.conv(p, "enc.c1", x, 2));
    x = Nn.silu(Nn.conv(p, "enc.c2", x, 2));
    x = Nn.silu(Nn.conv(p, "enc.c3", x, 2));
    return Nn.conv(p, "enc.out", x, 1);
  }

  /** Normalised latent, the denoiser's data space. */
  NDArray encode(NDArray image) {
    return encodeRaw(image).sub(p.get("stats.latent_mean")).div(p.get("stats.latent_std"));
  }

  /** Image [B, 3, 8h, 8w] in [0, 1] from a raw latent [B, 4, h, w]. */
  public NDArray decodeRaw(NDArray z) {
    NDArray x = Nn.silu(Nn.conv(p, "dec.in", z, 1));
    x = Nn.resBlock(p, "dec.r0", x, null);
    x = Nn.silu(Nn.conv(p, "dec.c1", Nn.up2(x), 1));
    x = Nn.silu(Nn.conv(p, "dec.c2", Nn.up2(x), 1));
    x = Nn.silu(Nn.conv(p, "dec.c3", Nn.up2(x), 1));
    return Activation.sigmoid(Nn.conv(p, "dec.out", x, 1));
  }

  /** Image from a normalised core latent. */
  NDArray decodeCore(NDArray y) {
    return decodeRaw(y.mul(p.get("stats.latent_std")).add(p.get("stats.latent_mean")));
  }

  @Override
  public NDArray decode(NDArray latent, int height, int width) {
    Shape s = latent.getShape();
    int[] g = CoreGrid.coreSize((int) s.get(2), (int) s.get(3));
    NDArray image = decodeCore(CoreGrid.toCore(latent, g[0], g[1]));
    // learned 2x stages while the image is smaller than two thirds of the target, then bilinear
    while (3 * image.getShape().get(2) < 2 * height && 3 * image.getShape().get(3) < 2 * width) {
      image = refine2x(image);
    }
    return resize(image, height, width).clip(0f, 1f);
  }

  /** One learned octave: bilinear 2x upsampling plus a predicted residual of edges and texture. */
  public NDArray refine2x(NDArray image) {
    Shape s = image.getShape();
    NDArray up = resize(image, (int) s.get(2) * 2, (int) s.get(3) * 2);
    NDArray h = Nn.silu(Nn.conv(p, "sr.c1", up.mul(2f).sub(1f), 1));
    h = Nn.silu(Nn.conv(p, "sr.c2", h, 1));
    return up.add(Nn.conv(p, "sr.out", h, 1));
  }

  /** Bilinear resize of [B, C, H, W] to exactly height x width, as two matrix products. */
  static NDArray resize(NDArray image, int height, int width) {
    Shape s = image.getShape();
    int h = (int) s.get(2);
    int w = (int) s.get(3);
    if (h == height && w == width) {
      return image;
    }
    NDManager m = image.getManager();
    NDArray rh = m.create(flat(CoreGrid.bilinear(h, height)), new Shape(height, h));
    NDArray rwT = m.create(flatT(CoreGrid.bilinear(w, width)), new Shape(w, width));
    return rh.matMul(image).matMul(rwT);
  }

  private static float[] flat(double[][] a) {
    int r = a.length;
    int c = a[0].length;
    float[] f = new float[r * c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        f[i * c + j] = (float) a[i][j];
      }
    }
    return f;
  }

  private static float[] flatT(double[][] a) {
    int r = a.length;
    int c = a[0].length;
    float[] f = new float[r * c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        f[j * r + i] = (float) a[i][j];
      }
    }
    return f;
  }
}
