package dev.turbofarm.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.turbofarm.model.api.Denoiser;

/**
 * The latent denoiser: a small conditioned U-Net (16 -> 8 -> 4 cells, FiLM from time plus text) on
 * the fixed-size core of the latent (see {@link CoreGrid}). For a latent x_t of any size:
 *
 * <pre>
 *   v(x_t) = Q v_core(Q^T x_t Q) Q^T + (x_t - Q Q^T x_t Q Q^T) / t
 * </pre>
 *
 * The second term is exact: clean latents lie in the core's span, so outside it x_t = t * noise and
 * the velocity (noise - x0) is x_t / t there. The network therefore decides the whole layout once,
 * at the size it was trained on, and a 2048 px render shows one product, not a tiling.
 */
public final class CoreDenoiser implements Denoiser {
  /** Latent channels, as in Stable Diffusion's VAE. */
  public static final int CHANNELS = 4;

  static final int C1 = 32;
  static final int C2 = 64;
  static final int C3 = 64;

  /** Width of the joint time and text embedding. */
  static final int EMB = 128;

  /** Sinusoidal time features (sin and cos of this many frequencies). */
  static final int FREQS = 16;

  private final Params p;

  public CoreDenoiser(Params params) {
    this.p = params;
    Nn.declareLinear(p, "den.temb", EMB, 2 * FREQS, 1.0);
    Nn.declareLinear(p, "den.emb", EMB, EMB, 1.0);
    Nn.declareLinear(p, "den.text", EMB, TinyTextEncoder.DIM, 1.0);
    Nn.declareConv(p, "den.in", C1, CHANNELS, 3, 1.0);
    Nn.declareResBlock(p, "den.r1", C1, EMB);
    Nn.declareConv(p, "den.down1", C2, C1, 3, 1.0);
    Nn.declareResBlock(p, "den.r2", C2, EMB);
    Nn.declareConv(p, "den.down2", C3, C2, 3, 1.0);
    Nn.declareResBlock(p, "den.r3", C3, EMB);
    Nn.declareResBlock(p, "den.r4", C3, EMB);
    Nn.declareConv(p, "den.up2", C2, C3 + C2, 3, 1.0);
    Nn.declareResBlock(p, "den.r5", C2, EMB);
    Nn.declareConv(p, "den.up1", C1, C2 + C1, 3, 1.0);
    Nn.declareResBlock(p, "den.r6", C1, EMB);
    Nn.declareNorm(p, "den.nout", C1);
    // small but non-zero: an untrained model still renders seed-dependent pictures
    Nn.declareConv(p, "den.out", CHANNELS, C1, 3, 0.1);
  }

  @Override
  public int latentChannels() {
    return CHANNELS;
  }

  @Override
  public NDArray velocity(NDArray latent, NDArray t, NDArray conditioning) {
    Shape s = latent.getShape();
    int h = (int) s.get(2);
    int w = (int) s.get(3);
    int[] g = CoreGrid.coreSize(h, w);
    NDArray y = CoreGrid.toCore(latent, g[0], g[1]);
    NDArray vCore = core(y, t, conditioning);
    if (h == g[0] && w == g[1]) {
      return vCore;
    }
    NDArray outside = latent.sub(CoreGrid.fromCore(y, h, w));
    NDArray invT = t.reshape(-1, 1, 1, 1).pow(-1f);
    return CoreGrid.fromCore(vCore, h, w).add(outside.mul(invT));
  }

  /** The network on core coordinates: y [B, 4, gh, gw], t [B], cond [B, DIM]. */
  public NDArray core(NDArray y, NDArray t, NDArray cond) {
    NDManager m = y.getManager();
    long b = y.getShape().get(0);
    float[] freqs = new float[FREQS];
    for (int i = 0; i < FREQS; i++) {
      // periods from 1 down to 1/500 of the time range
      freqs[i] = (float) (Math.PI * Math.pow(500.0, (double) i / (FREQS - 1)));
    }
    NDArray arg = t.reshape(b, 1).mul(m.create(freqs, new Shape(1, FREQS)));
    NDArray feats = arg.sin().concat(arg.cos(), 1);
    // time and text add up before the one shared SiLU, as in class-conditional U-Nets: the text
    // enters linearly, so a colour and an object modulate the blocks independently and an unseen
    // pair composes from seen parts
    NDArray temb = Nn.linear(p, "den.emb", Nn.silu(Nn.linear(p, "den.temb", feats)));
    NDArray emb = Nn.silu(temb.add(Nn.linear(p, "den.text", cond)));

    NDArray h1 = Nn.resBlock(p, "den.r1", Nn.conv(p, "den.in", y, 1), emb);
    NDArray h2 = Nn.resBlock(p, "den.r2", Nn.conv(p, "den.down1", h1, 2), emb);
    NDArray h3 = Nn.conv(p, "den.down2", h2, 2);
    h3 = Nn.resBlock(p, "den.r4", Nn.resBlock(p, "den.r3", h3, emb), emb);
    NDArray u2 = Nn.conv(p, "den.up2", Nn.up2(h3).concat(h2, 1), 1);
    u2 = Nn.resBlock(p, "den.r5", u2, emb);
    NDArray u1 = Nn.conv(p, "den.up1", Nn.up2(u2).concat(h1, 1), 1);
    u1 = Nn.resBlock(p, "den.r6", u1, emb);
    return Nn.conv(p, "den.out", Nn.silu(Nn.groupNorm(p, "den.nout", u1)), 1);
  }
}
