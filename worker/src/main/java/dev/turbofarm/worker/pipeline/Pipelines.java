package dev.turbofarm.worker.pipeline;

import dev.turbofarm.worker.model.BundledPipeline;
import java.util.List;
import java.util.function.Supplier;

/** The pipelines a worker can run, by name. */
public final class Pipelines {
  /** Names accepted by {@link #factory(String)}. */
  public static final List<String> NAMES = List.of("bundled", "instant", "chaos");

  private Pipelines() {}

  /**
   * A factory for the named pipeline; loading happens when the worker calls it.
   *
   * @throws IllegalArgumentException naming the accepted names
   */
  public static Supplier<Pipeline> factory(String name) {
    return switch (name) {
      case "bundled" -> BundledPipeline::loadDefault;
      case "instant" -> InstantPipeline::new;
      case "chaos" -> ChaosPipeline::fromEnvironment;
      default ->
          throw new IllegalArgumentException(
              "unknown pipeline '" + name + "'; choose one of " + NAMES);
    };
  }
}
