package dev.turbofarm.model.tools.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.turbofarm.model.api.Noise;
import dev.turbofarm.model.tiny.CoreDenoiser;
import dev.turbofarm.model.tiny.LatentAutoencoder;
import dev.turbofarm.model.tiny.Params;
import dev.turbofarm.model.tools.data.ProductPhotoGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latent space's stages: the autoencoder, its 2x refinement stage, and the latent statistics
 * that normalise the denoiser's training targets.
 */
final class AutoencoderStages {
  private static final Logger LOG = LoggerFactory.getLogger(AutoencoderStages.class);

  /** Autoencoder training crop side, pixels. */
  static final int AE_CROP = 48;

  private final NDManager root;
  private final Params p;
  private final LatentAutoencoder ae;
  private final long seed;
  private final int batch;
  private final LossLog log;

  /**
   * @param seed the training run's seed; each stage draws from its own stream derived from it
   * @param batch images (crops) per step
   */
  AutoencoderStages(
      NDManager root, Params p, LatentAutoencoder ae, long seed, int batch, LossLog log) {
    this.root = root;
    this.p = p;
    this.ae = ae;
    this.seed = seed;
    this.batch = batch;
    this.log = log;
  }

  void trainAutoencoder(TrainingData data, int aeSteps) {
    SplittableRandom r = new SplittableRandom(seed * 31 + 1);
    try (Adam opt = new Adam(root, Adam.weights(p, "enc.", "dec."), 0f)) {
      for (int step = 0; step < aeSteps; step++) {
        try (NDManager m = root.newSubManager()) {
          // 48 px crops: the autoencoder is convolutional, and a crop costs a seventh of the image
          NDArray x = data.crops(m, r, batch, AE_CROP);
          int cells = AE_CROP / 8;
          NDArray noise =
              m.create(gaussian(r, batch * 4 * cells * cells), new Shape(batch, 4, cells, cells));
          float loss;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray z = ae.encodeRaw(x);
            // latent noise makes the decoder tolerant of the denoiser's small errors
            NDArray rec = ae.decodeRaw(z.add(noise.mul(0.1f)));
            NDArray l = rec.sub(x).square().mean().add(z.square().mean().mul(1e-3f));
            gc.backward(l);
            loss = l.getFloat();
          }
          opt.step(LearningRate.warmupCosine(step, aeSteps, 2e-3f));
          log.record("autoencoder", step, aeSteps, loss);
        }
      }
    }
  }

  /**
   * Trains the decoder's 2x refinement stage on two octaves: the autoencoder's 128 px output of a
   * scene against the scene rendered at 256 px, and the 256 px render against the 512 px one.
   */
  void trainRefiner(TrainingData data, int srSteps, int srImages) {
    int n = Math.min(srImages, data.size());
    byte[][] hi256 = new byte[n][];
    byte[][] hi512 = new byte[n][];
    java.util.stream.IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              hi256[i] =
                  TrainingData.toBytes(ProductPhotoGenerator.render(data.scenes[i], 256, 256));
              hi512[i] =
                  TrainingData.toBytes(ProductPhotoGenerator.render(data.scenes[i], 512, 512));
            });
    float[] lo128 = new float[n * 3 * TrainCommand.CANVAS * TrainCommand.CANVAS];
    for (int i = 0; i < n; i += 64) {
      int[] idx = java.util.stream.IntStream.range(i, Math.min(n, i + 64)).toArray();
      try (NDManager m = root.newSubManager()) {
        float[] rec = ae.decodeRaw(ae.encodeRaw(data.batch(m, idx))).toFloatArray();
        System.arraycopy(
            rec, 0, lo128, i * 3 * TrainCommand.CANVAS * TrainCommand.CANVAS, rec.length);
      }
    }
    SplittableRandom r = new SplittableRandom(seed * 31 + 4);
    int in = 32;
    int outSide = 2 * in;
    int b = batch / 2;
    try (Adam opt = new Adam(root, Adam.weights(p, "sr."), 0f)) {
      for (int step = 0; step < srSteps; step++) {
        float[] x = new float[b * 3 * in * in];
        float[] y = new float[b * 3 * outSide * outSide];
        for (int k = 0; k < b; k++) {
          int i = r.nextInt(n);
          boolean first = k % 2 == 0;
          int side = first ? TrainCommand.CANVAS : 256;
          int ox = r.nextInt(side - in + 1);
          int oy = r.nextInt(side - in + 1);
          for (int c = 0; c < 3; c++) {
            for (int yy = 0; yy < in; yy++) {
              for (int xx = 0; xx < in; xx++) {
                int src = (c * side + oy + yy) * side + ox + xx;
                x[((k * 3 + c) * in + yy) * in + xx] =
                    first ? lo128[i * 3 * side * side + src] : (hi256[i][src] & 0xFF) / 255f;
              }
            }
            byte[] target = first ? hi256[i] : hi512[i];
            int big = 2 * side;
            for (int yy = 0; yy < outSide; yy++) {
              for (int xx = 0; xx < outSide; xx++) {
                int src = (c * big + 2 * oy + yy) * big + 2 * ox + xx;
                y[((k * 3 + c) * outSide + yy) * outSide + xx] = (target[src] & 0xFF) / 255f;
              }
            }
          }
        }
        try (NDManager m = root.newSubManager()) {
          NDArray xin = m.create(x, new Shape(b, 3, in, in));
          NDArray yt = m.create(y, new Shape(b, 3, outSide, outSide));
          float loss;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // L1: sharper edges than L2, which averages plausible edge positions into blur
            NDArray l = ae.refine2x(xin).sub(yt).abs().mean();
            gc.backward(l);
            loss = l.getFloat();
          }
          opt.step(LearningRate.warmupCosine(step, srSteps, 1e-3f));
          log.record("refiner", step, srSteps, loss);
        }
      }
    }
  }

  /**
   * Encodes every image and sets the latent statistics.
   *
   * @return each set's latents, normalised, in the order of {@code sets}
   */
  List<float[]> normaliseLatents(List<TrainingData> sets) {
    List<float[]> out = new ArrayList<>();
    List<float[]> raw = new ArrayList<>();
    double[] sum = new double[CoreDenoiser.CHANNELS];
    double[] sumSq = new double[CoreDenoiser.CHANNELS];
    long perChannel = 0;
    for (TrainingData d : sets) {
      int cells = (d.width / 8) * (d.height / 8);
      float[] all = new float[d.size() * CoreDenoiser.CHANNELS * cells];
      for (int i = 0; i < d.size(); i += 64) {
        int n = Math.min(64, d.size() - i);
        int[] idx = new int[n];
        for (int k = 0; k < n; k++) {
          idx[k] = i + k;
        }
        try (NDManager m = root.newSubManager()) {
          float[] z = ae.encodeRaw(d.batch(m, idx)).toFloatArray();
          System.arraycopy(z, 0, all, i * CoreDenoiser.CHANNELS * cells, z.length);
        }
      }
      for (int j = 0; j < all.length; j++) {
        int c = (j / cells) % CoreDenoiser.CHANNELS;
        sum[c] += all[j];
        sumSq[c] += (double) all[j] * all[j];
      }
      perChannel += (long) d.size() * cells;
      raw.add(all);
    }
    float[] mean = new float[CoreDenoiser.CHANNELS];
    float[] std = new float[CoreDenoiser.CHANNELS];
    for (int c = 0; c < mean.length; c++) {
      mean[c] = (float) (sum[c] / perChannel);
      std[c] = (float) Math.sqrt(Math.max(1e-8, sumSq[c] / perChannel - mean[c] * mean[c]));
    }
    LOG.info(
        "latent mean {} std {}", java.util.Arrays.toString(mean), java.util.Arrays.toString(std));
    p.get("stats.latent_mean").set(mean);
    p.get("stats.latent_std").set(std);
    for (int s = 0; s < sets.size(); s++) {
      TrainingData d = sets.get(s);
      int cells = (d.width / 8) * (d.height / 8);
      float[] all = raw.get(s);
      for (int j = 0; j < all.length; j++) {
        int c = (j / cells) % CoreDenoiser.CHANNELS;
        all[j] = (all[j] - mean[c]) / std[c];
      }
      out.add(all);
    }
    return out;
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] f = new float[n];
    Noise.fillGaussian(r, f);
    return f;
  }
}
