package dev.turbofarm.worker.batch;

import dev.turbofarm.model.api.RenderException;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.worker.batch.BatchPlanner.ImageTask;
import java.util.UUID;

/**
 * Where {@link BatchRenderer} puts each image's outcome. Called from several encoder threads at
 * once: implementations are thread-safe.
 */
public interface ResultSink {

  /**
   * Stores and publishes a rendered image's result; when the image cannot be stored the sink
   * releases its job itself.
   *
   * @throws RuntimeException when the result cannot be handed to the broker; the renderer then
   *     releases the job
   */
  void succeeded(ImageTask task, RenderedImage image, Rendered how);

  /**
   * Publishes a failed result for one image.
   *
   * @param reason what failed, for the job's record and the dead letters
   * @param failure why; its type says whether another attempt may help
   */
  void failed(ImageTask task, String reason, RenderException failure);

  /** Hands the job back to the broker for another attempt: a result of it was not written. */
  void release(UUID jobId);

  /**
   * How an image was rendered.
   *
   * @param batchSize images in its sampler batch
   * @param renderMs wall time of the batch's render, ms
   * @param startedAtMs when the batch's render started, epoch ms
   * @param fallbackProfile the job's fallback profile when it rendered instead, else null
   */
  record Rendered(int batchSize, long renderMs, long startedAtMs, String fallbackProfile) {}
}
