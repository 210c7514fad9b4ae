package dev.turbofarm.model.tiny;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.turbofarm.model.api.FatalRenderException;
import dev.turbofarm.model.api.FlowMatchSampler;
import dev.turbofarm.model.api.OutOfMemoryRenderException;
import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.model.api.RetriableRenderException;
import dev.turbofarm.model.api.StepBoundary;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled text-to-image model, {@code turbofarm-tiny}: text encoder, core latent denoiser,
 * latent decoder and attribute scorer, all trained by the model tools' {@code TrainCommand} (module
 * model-tools) on synthetic product photos. Weights load offline from the classpath ({@code
 * /model/}); without them the pipeline still works with freshly initialised weights and says so in
 * its model id.
 *
 * <p>Thread-safe: weights are read-only after loading and every render uses its own NDManager.
 */
public final class BundledPipeline implements Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(BundledPipeline.class);

  public static final String MODEL_NAME = "turbofarm-tiny";

  /** Classpath folder of the committed weights. */
  public static final String RESOURCE_DIR = "/model/";

  public static final String WEIGHTS_FILE = MODEL_NAME + ".safetensors";
  public static final String MANIFEST_FILE = MODEL_NAME + ".properties";

  /**
   * Seed of the fresh weights used when no trained weights are available; training starts from it
   * too (xor its own seed), so the networks' initial weights are reproducible.
   */
  public static final long UNTRAINED_SEED = 7;

  /** Sizes the farm's profiles allow, per side, in pixels. */
  public static final int MIN_SIDE = 256;

  public static final int MAX_SIDE = 2048;
  public static final int SIDE_MULTIPLE = 64;

  private final NDManager manager;
  private final Params params;
  private final TinyTextEncoder text;
  private final CoreDenoiser denoiser;
  private final LatentAutoencoder autoencoder;
  private final AttributeScorer scorer;
  private final FlowMatchSampler sampler;
  private final String modelId;
  private final boolean trained;
  private final Properties manifest;

  BundledPipeline(NDManager manager, Params params, Properties manifest, boolean trained) {
    this.manager = manager;
    this.params = params;
    this.text = new TinyTextEncoder(params);
    this.denoiser = new CoreDenoiser(params);
    this.autoencoder = new LatentAutoencoder(params);
    this.scorer = new AttributeScorer(params);
    this.manifest = manifest;
    this.trained = trained;
    this.sampler =
        new FlowMatchSampler(Double.parseDouble(manifest.getProperty("sampler.shift", "1.0")));
    this.modelId = MODEL_NAME + "@" + (trained ? manifest.getProperty("version") : "untrained");
  }

  /**
   * The default model: the trained weights committed under {@code /model/} on the classpath, or,
   * when they are missing, fresh weights with model id {@code turbofarm-tiny@untrained}.
   */
  public static BundledPipeline loadDefault() {
    try (InputStream manifestIn =
            BundledPipeline.class.getResourceAsStream(RESOURCE_DIR + MANIFEST_FILE);
        InputStream weightsIn =
            BundledPipeline.class.getResourceAsStream(RESOURCE_DIR + WEIGHTS_FILE)) {
      if (manifestIn == null || weightsIn == null) {
        LOG.warn(
            "no trained weights on the classpath at {}: using untrained weights", RESOURCE_DIR);
        return untrained(UNTRAINED_SEED);
      }
      return load(manifestIn, weightsIn);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled model", e);
    }
  }

  /** The model in {@code dir}, or the bundled classpath weights when {@code dir} is null. */
  public static BundledPipeline loadOrDefault(Path dir) {
    return dir == null ? loadDefault() : load(dir);
  }

  /** Loads trained weights from a folder written by the model tools' {@code TrainCommand}. */
  public static BundledPipeline load(Path dir) {
    try (InputStream manifestIn = Files.newInputStream(dir.resolve(MANIFEST_FILE));
        InputStream weightsIn = Files.newInputStream(dir.resolve(WEIGHTS_FILE))) {
      return load(manifestIn, weightsIn);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model in " + dir, e);
    }
  }

  private static BundledPipeline load(InputStream manifestIn, InputStream weightsIn)
      throws IOException {
    Properties manifest = new Properties();
    manifest.load(manifestIn);
    NDManager manager = NDManager.newBaseManager();
    Params params = new Params(manager, UNTRAINED_SEED);
    try {
      params.load(weightsIn);
      BundledPipeline pipeline = new BundledPipeline(manager, params, manifest, true);
      if (!params.missingFromFile().isEmpty()) {
        // weights of another architecture: refuse rather than render with random layers
        throw new IllegalStateException(
            "model file lacks weights " + params.missingFromFile() + ": retrain with TrainCommand");
      }
      LOG.info("loaded {} ({} weights)", pipeline.modelId(), params.count(""));
      return pipeline;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Fresh, seeded weights: renders noise-like pictures in the real model's time and memory, with
   * model id {@code turbofarm-tiny@untrained}.
   */
  public static BundledPipeline untrained(long seed) {
    NDManager manager = NDManager.newBaseManager();
    Properties manifest = new Properties();
    return new BundledPipeline(manager, new Params(manager, seed), manifest, false);
  }

  @Override
  public String modelId() {
    return modelId;
  }

  /** True when trained weights were loaded. */
  public boolean trained() {
    return trained;
  }

  /** The manifest's recommended value for {@code key} (e.g. {@code guidance}), or the default. */
  public String manifest(String key, String defaultValue) {
    return manifest.getProperty(key, defaultValue);
  }

  /**
   * The largest batch worth forming for this model on this kind of machine, measured by the model
   * tools' {@code BenchCommand} and recorded in the manifest ({@code batch.max}); 8 when
   * unmeasured.
   */
  @Override
  public int recommendedMaxBatch() {
    return Integer.parseInt(manifest.getProperty("batch.max", "8"));
  }

  /** Recommended guidance for this model (the manifest's {@code guidance}), 6.0 by default. */
  public double recommendedGuidance() {
    return Double.parseDouble(manifest.getProperty("guidance", "6.0"));
  }

  /** The attribute scorer, to score any picture against a prompt. */
  public AttributeScorer scorer() {
    return scorer;
  }

  /** Scores one image against a prompt: (prompt match 0..1 or null, sharpness). */
  public RenderedImage score(BufferedImage image, String prompt) {
    AttributeScorer.Reading reading = scorer.read(manager, List.of(image)).get(0);
    Double quality = trained ? reading.match(PromptAttributes.parse(prompt)) : null;
    return new RenderedImage(image, quality, Images.laplacianVariance(image));
  }

  @Override
  public List<RenderedImage> render(List<RenderRequest> batch) {
    return render(batch, StepBoundary.NONE);
  }

  @Override
  public List<RenderedImage> render(List<RenderRequest> batch, StepBoundary boundary) {
    if (batch == null || batch.isEmpty()) {
      return List.of();
    }
    validate(batch);
    RenderRequest first = batch.get(0);
    int width = first.width();
    int height = first.height();
    List<BufferedImage> images = new ArrayList<>(batch.size());
    try (NDManager m = manager.newSubManager()) {
      NDArray latent = sampler.sample(m, text, denoiser, batch, boundary);
      // one image at a time: full-resolution decoder activations of a batch of 8 at 2048 px
      // would need several GB, and per-image decoding costs the same arithmetic
      for (int i = 0; i < batch.size(); i++) {
        // after the last denoising step and between two images: another batch may go first
        boundary.reached();
        try (NDManager one = m.newSubManager()) {
          NDArray row = latent.get(i).expandDims(0);
          row.attach(one);
          NDArray pixels = autoencoder.decode(row, height, width);
          images.add(Images.fromPlanar(pixels.toFloatArray(), width, height));
        }
      }
    } catch (OutOfMemoryError e) {
      throw new OutOfMemoryRenderException("render failed: " + e.getMessage(), e);
    } catch (EngineException e) {
      // an engine failure: another attempt, with a smaller batch or on another worker, may pass
      throw new RetriableRenderException("render failed: " + e.getMessage(), e);
    }
    boundary.reached();
    List<AttributeScorer.Reading> readings = scorer.read(manager, images);
    List<RenderedImage> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      BufferedImage img = images.get(i);
      Double quality =
          trained ? readings.get(i).match(PromptAttributes.parse(batch.get(i).prompt())) : null;
      out.add(new RenderedImage(img, quality, Images.laplacianVariance(img)));
    }
    return out;
  }

  private static void validate(List<RenderRequest> batch) {
    RenderRequest first = batch.get(0);
    checkSide("width", first.width());
    checkSide("height", first.height());
    if (first.steps() < 1) {
      throw new FatalRenderException("steps must be at least 1, got " + first.steps());
    }
    for (RenderRequest r : batch) {
      if (r.width() != first.width()
          || r.height() != first.height()
          || r.steps() != first.steps()
          || r.guidance() != first.guidance()) {
        throw new FatalRenderException("a batch must share width, height, steps and guidance");
      }
    }
  }

  private static void checkSide(String name, int value) {
    if (value < MIN_SIDE || value > MAX_SIDE || value % SIDE_MULTIPLE != 0) {
      throw new FatalRenderException(
          name
              + " must be a multiple of "
              + SIDE_MULTIPLE
              + " from "
              + MIN_SIDE
              + " to "
              + MAX_SIDE
              + ", got "
              + value);
    }
  }

  Params params() {
    return params;
  }

  TinyTextEncoder textEncoder() {
    return text;
  }

  CoreDenoiser denoiser() {
    return denoiser;
  }

  LatentAutoencoder autoencoder() {
    return autoencoder;
  }

  @Override
  public void close() {
    params.close();
    manager.close();
  }
}
