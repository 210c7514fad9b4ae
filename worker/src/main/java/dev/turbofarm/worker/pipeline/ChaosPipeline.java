package dev.turbofarm.worker.pipeline;

import java.util.List;

/**
 * TEST FIXTURE, NOT A MODEL: the instant stub plus injectable faults, for the chaos suite that runs
 * whole farms as processes. A prompt containing {@link #POISON} fails every time (a poison job);
 * every batch takes {@code delayMs} so that a worker can be killed in the middle of one.
 */
public final class ChaosPipeline implements Pipeline {
  /** Marks a prompt that can never render. */
  public static final String POISON = "#poison";

  public static final String MODEL_ID = "chaos-stub@1 (fault-injection fixture, not a model)";

  private final InstantPipeline inner = new InstantPipeline();
  private final long delayMs;

  /**
   * @param delayMs wall time each batch takes, ms
   */
  public ChaosPipeline(long delayMs) {
    this.delayMs = delayMs;
  }

  /** Delay from {@code TURBOFARM_CHAOS_DELAY_MS}, default 50 ms a batch. */
  public static ChaosPipeline fromEnvironment() {
    String v = System.getenv("TURBOFARM_CHAOS_DELAY_MS");
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
        throw new RenderException("interrupted", true, e);
      }
    }
    for (RenderRequest r : batch) {
      if (r.prompt().contains(POISON)) {
        throw new IllegalStateException("simulated crash on a poison prompt");
      }
    }
    return inner.render(batch);
  }

  @Override
  public void close() {
    inner.close();
  }
}
