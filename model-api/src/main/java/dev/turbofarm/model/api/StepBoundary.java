package dev.turbofarm.model.api;

/**
 * A point between two steps of a batch's render (two denoising steps, two images' decoding, the
 * decoding and the scoring), where the caller may run a more urgent batch on the same model before
 * this one goes on: the worker renders a waiting interactive batch there instead of after the whole
 * bulk batch (docs/adr/0020-interactive-batches-between-steps.md). The batch's own state stays as
 * it was; its pixels do not change.
 */
@FunctionalInterface
public interface StepBoundary {
  /** A boundary at which nothing else runs. */
  StepBoundary NONE = () -> {};

  /** Called on the rendering thread between two steps of the render. */
  void reached();
}
