package dev.turbofarm.model.api;

import java.util.List;

/**
 * A text-to-image model kept warm in one worker. Implementations own their native resources (DJL
 * models, managers) and free them in {@link #close()}.
 */
public interface Pipeline extends AutoCloseable {

  /** Model id and version, recorded with every image, e.g. {@code turbofarm-tiny@1.0}. */
  String modelId();

  /**
   * Renders a batch. All requests share width, height, steps and guidance. The result list has one
   * image per request, in request order. Each image depends only on its own request: the same
   * request renders the same pixels (within one 8-bit level) alone or inside any batch.
   *
   * @throws RenderException when the batch cannot be rendered: its type says whether a retry may
   *     help
   */
  List<RenderedImage> render(List<RenderRequest> batch);

  /**
   * Renders a batch as {@link #render(List)} does, calling {@code boundary} between the steps of
   * its work (denoising steps, decoding each image, scoring), where the worker may render another
   * batch on this model. A pipeline that cannot pause (the default) renders the batch in one go.
   */
  default List<RenderedImage> render(List<RenderRequest> batch, StepBoundary boundary) {
    return render(batch);
  }

  /**
   * The batch size this model renders fastest per image on its device, measured by its own
   * benchmark; the worker's default max batch.
   */
  default int recommendedMaxBatch() {
    return 8;
  }

  @Override
  void close();
}
