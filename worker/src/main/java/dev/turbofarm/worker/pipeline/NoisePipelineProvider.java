package dev.turbofarm.worker.pipeline;

import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.PipelineProvider;

/**
 * The worker's pipeline {@value #NAME}: {@link NoisePipeline}, incompressible images for storage
 * benchmarks ({@code ./farm bench storage}, the ZIP export test).
 */
public final class NoisePipelineProvider implements PipelineProvider {
  public static final String NAME = "noise";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Pipeline load() {
    return new NoisePipeline();
  }
}
