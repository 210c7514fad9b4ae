package dev.turbofarm.model.tiny;

import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.PipelineProvider;

/** The bundled model as the worker's pipeline {@value #NAME}: the committed weights, offline. */
public final class BundledPipelineProvider implements PipelineProvider {
  public static final String NAME = "bundled";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Pipeline load() {
    return BundledPipeline.loadDefault();
  }
}
