package dev.turbofarm.testfixtures;

import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.model.api.RetriableRenderException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fault-injecting pipeline, not a model: flat-colour images like the worker's instant pipeline,
 * plus injectable faults for the suites that run whole farms. A prompt containing {@link #POISON}
 * fails every time (a poison job); every batch takes {@code delayMs} so that a worker can be killed
 * in the middle of one.
 */
public final class ChaosPipeline implements Pipeline {
  /** Marks a prompt that can never render. */
  public static final String POISON = "#poison";

  public static final String MODEL_ID = "chaos-stub@1 (fault-injection fixture, not a model)";

  /** Environment variable with the wall time of each batch, ms. */
  public static final String DELAY_ENV = "TURBOFARM_CHAOS_DELAY_MS";

  private final long delayMs;

  /**
   * @param delayMs wall time each batch takes, ms
   */
  public ChaosPipeline(long delayMs) {
    this.delayMs = delayMs;
  }

  /** Delay from {@value #DELAY_ENV}, default 50 ms a batch. */
  public static ChaosPipeline fromEnvironment() {
    String v = System.getenv(DELAY_ENV);
    return new ChaosPipeline(v == null || v.isBlank() ? 50 : Long.parseLong(v.trim()));
  }

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public List<RenderedImage> render(List<RenderRequest> batch) {
    if (delayMs > 0) {
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RetriableRenderException("interrupted", e);
      }
    }
    for (RenderRequest r : batch) {
      if (r.prompt().contains(POISON)) {
        // not a RenderException: the worker must cope with a pipeline's unexpected crash too
        throw new IllegalStateException("simulated crash on a poison prompt");
      }
    }
    List<RenderedImage> out = new ArrayList<>(batch.size());
    for (RenderRequest r : batch) {
      out.add(new RenderedImage(flat(r), null, null));
    }
    return out;
  }

  /** A flat colour derived from the seed, as the instant pipeline draws. */
  private static BufferedImage flat(RenderRequest r) {
    BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB);
    int[] row = new int[r.width()];
    Arrays.fill(row, (int) (r.seed() * 2654435761L) & 0xFFFFFF);
    for (int y = 0; y < r.height(); y++) {
      img.setRGB(0, y, r.width(), 1, row, 0, r.width());
    }
    return img;
  }

  @Override
  public void close() {}
}
