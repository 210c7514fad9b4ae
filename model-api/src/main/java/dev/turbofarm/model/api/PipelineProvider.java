package dev.turbofarm.model.api;

/**
 * A pipeline a worker can run, found with {@link java.util.ServiceLoader} (as DJL finds its engines
 * through {@code EngineProvider}) and chosen by {@link #name()} with the worker's {@code
 * --pipeline} flag. A model module registers its provider in {@code
 * META-INF/services/dev.turbofarm.model.api.PipelineProvider}.
 *
 * <p>Providers must be cheap to construct: the worker instantiates every provider on its class path
 * to list their names, and loads only the chosen one.
 */
public interface PipelineProvider {

  /** The name a worker selects this pipeline by, for example {@code bundled}; unique per worker. */
  String name();

  /**
   * Loads the pipeline: weights, native handles, anything it needs to render. May take seconds; the
   * worker calls it once, before its warm-up render, and closes the pipeline when it stops.
   */
  Pipeline load();
}
