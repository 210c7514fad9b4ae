package dev.turbofarm.worker.pipeline;

import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.PipelineProvider;

/**
 * The worker's pipeline {@value #NAME}: {@link InstantPipeline}, for measuring the farm without
 * model time ({@code ./farm up --pipeline instant}, the farm benchmarks).
 */
public final class InstantPipelineProvider implements PipelineProvider {
  public static final String NAME = "instant";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Pipeline load() {
    return new InstantPipeline();
  }
}
