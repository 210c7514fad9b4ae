package dev.turbofarm.testfixtures;

import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.PipelineProvider;

/**
 * {@link ChaosPipeline} as the pipeline {@value #NAME}, found by a worker that has this module on
 * its class path or {@code --pipeline-path}; its delay comes from {@value ChaosPipeline#DELAY_ENV}.
 */
public final class ChaosPipelineProvider implements PipelineProvider {
  public static final String NAME = "chaos";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Pipeline load() {
    return ChaosPipeline.fromEnvironment();
  }
}
