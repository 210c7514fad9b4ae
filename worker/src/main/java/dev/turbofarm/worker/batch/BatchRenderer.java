package dev.turbofarm.worker.batch;

import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.model.api.FatalRenderException;
import dev.turbofarm.model.api.OutOfMemoryRenderException;
import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.RenderException;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.model.api.RetriableRenderException;
import dev.turbofarm.model.api.StepBoundary;
import dev.turbofarm.worker.WorkerStatus;
import dev.turbofarm.worker.batch.BatchPlanner.ImageTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders planned batches and hands every image's outcome to a {@link ResultSink}. What happens to
 * a failure depends on its type alone: a failing batch of several images is split in halves and
 * each half retried, so one poison prompt or an out-of-memory batch costs only itself; a single
 * image out of memory renders its fallback profile or fails fatally; any other single-image failure
 * becomes a failed result of the {@link RenderException} type the pipeline threw (an exception of
 * another type counts as retriable: the coordinator bounds the attempts).
 */
public final class BatchRenderer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRenderer.class);

  private final String workerId;
  private final Pipeline pipeline;
  private final BatchPlanner planner;
  private final WorkerStatus status;
  private final RenderGate gate;
  private final boolean interactive;

  /** Encodes and publishes a batch's images side by side; daemon threads, one per core up to 4. */
  private final ExecutorService encoders =
      Executors.newFixedThreadPool(
          Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
          r -> {
            Thread t = new Thread(r, "png-encoder");
            t.setDaemon(true);
            return t;
          });

  /** A renderer that has the model to itself. */
  public BatchRenderer(
      String workerId, Pipeline pipeline, BatchPlanner planner, WorkerStatus status) {
    this(workerId, pipeline, planner, status, new RenderGate(), false);
  }

  /**
   * A renderer that shares the model with the worker's other loop through {@code gate}: it holds
   * the gate only while the model renders, never while images are encoded, stored and published, so
   * an interactive batch waits for at most the render in progress (ADR 0014).
   *
   * @param interactive whether this renderer's batches go before waiting bulk batches
   */
  public BatchRenderer(
      String workerId,
      Pipeline pipeline,
      BatchPlanner planner,
      WorkerStatus status,
      RenderGate gate,
      boolean interactive) {
    this.workerId = workerId;
    this.pipeline = pipeline;
    this.planner = planner;
    this.status = status;
    this.gate = gate;
    this.interactive = interactive;
  }

  /** Renders images that may share a batch; every image ends in {@code sink} one way or another. */
  public void render(List<ImageTask> tasks, ResultSink sink) {
    if (tasks.size() == 1 && planner.pixels(tasks.get(0)) > planner.memoryBudgetPixels()) {
      renderTooLarge(tasks.get(0), sink);
      return;
    }
    List<RenderedImage> images;
    long startedAt;
    long renderNs;
    gate.acquire(interactive);
    try {
      status.currentBatch(tasks.size());
      startedAt = System.currentTimeMillis();
      long start = System.nanoTime();
      Pause pause = new Pause(tasks.size());
      // Only a bulk batch lends the model out; an interactive one renders in one go.
      images =
          pipeline.render(
              tasks.stream().map(ImageTask::request).toList(),
              interactive ? StepBoundary.NONE : pause);
      renderNs = System.nanoTime() - start - pause.pausedNs;
    } catch (RuntimeException | OutOfMemoryError e) {
      gate.release(); // before the halves or the fallback, which take the gate themselves
      handle(tasks, e, sink);
      return;
    }
    gate.release();
    long renderMs = renderNs / 1_000_000;
    status.batchRendered(tasks.size(), renderNs);
    // PNG encoding costs tens of ms per image and runs on the CPU: the batch's images are encoded
    // and published side by side, not one after another (on a GPU box it would rival the render).
    ResultSink.Rendered how = new ResultSink.Rendered(tasks.size(), renderMs, startedAt, null);
    List<Future<?>> writes = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      ImageTask t = tasks.get(i);
      RenderedImage img = images.get(i);
      writes.add(encoders.submit(() -> sink.succeeded(t, img, how)));
    }
    for (int i = 0; i < writes.size(); i++) {
      try {
        writes.get(i).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        sink.release(tasks.get(i).job().jobId());
      } catch (ExecutionException e) {
        LOG.error(
            "worker {}: image {} of job {} not stored or published ({}); releasing the job",
            workerId,
            tasks.get(i).index(),
            tasks.get(i).job().jobId(),
            e.getCause().toString());
        sink.release(tasks.get(i).job().jobId());
      }
    }
  }

  /**
   * Between two steps of a bulk batch's render ({@link StepBoundary}): an interactive batch that
   * waits renders now (ADR 0020); the time it took is not this batch's render time.
   */
  private final class Pause implements StepBoundary {
    private final int batchSize;
    long pausedNs;

    Pause(int batchSize) {
      this.batchSize = batchSize;
    }

    @Override
    public void reached() {
      long t0 = System.nanoTime();
      if (gate.yieldToInteractive()) {
        pausedNs += System.nanoTime() - t0;
        status.currentBatch(batchSize);
      }
    }
  }

  /**
   * A batch the model could not render, by the failure's type: out of memory, its halves or the
   * image's fallback profile; a {@link RenderException}, its halves or that failure; anything else
   * (a native crash), its halves or a retriable failure.
   */
  private void handle(List<ImageTask> tasks, Throwable e, ResultSink sink) {
    if (split(tasks, e, sink)) {
      return;
    }
    if (e instanceof OutOfMemoryError || e instanceof OutOfMemoryRenderException) {
      renderTooLarge(tasks.get(0), sink);
    } else if (e instanceof RenderException re) {
      fail(tasks.get(0), e, re, sink);
    } else {
      fail(tasks.get(0), e, new RetriableRenderException(e.toString(), e), sink);
    }
  }

  /** Renders a failed batch of several images as two halves; false for a single image. */
  private boolean split(List<ImageTask> tasks, Throwable failure, ResultSink sink) {
    if (tasks.size() == 1) {
      return false;
    }
    int half = tasks.size() / 2;
    LOG.warn(
        "worker {}: batch of {} images failed ({}); retrying as two halves of {} and {}",
        workerId,
        tasks.size(),
        failure.toString(),
        half,
        tasks.size() - half);
    render(tasks.subList(0, half), sink);
    render(tasks.subList(half, tasks.size()), sink);
    return true;
  }

  private void fail(ImageTask t, Throwable thrown, RenderException failure, ResultSink sink) {
    LOG.error(
        "worker {}: job {} image {} failed to render ({}): {}",
        workerId,
        t.job().jobId(),
        t.index(),
        failure.getClass().getSimpleName(),
        thrown.toString());
    sink.failed(t, "render failed on worker " + workerId + ": " + thrown.getMessage(), failure);
  }

  /** An image over this worker's memory budget: its fallback profile if allowed, else fail. */
  private void renderTooLarge(ImageTask t, ResultSink sink) {
    JobMessage.Fallback fb = t.job().fallback();
    String limit =
        t.request().width()
            + "x"
            + t.request().height()
            + " does not fit worker "
            + workerId
            + "'s memory budget of "
            + planner.memoryBudgetPixels()
            + " pixels per batch (--memory-budget-pixels)";
    if (fb != null && (long) fb.width() * fb.height() <= planner.memoryBudgetPixels()) {
      RenderRequest r = t.request();
      RenderRequest smaller =
          new RenderRequest(
              r.prompt(),
              r.negativePrompt(),
              fb.width(),
              fb.height(),
              fb.steps(),
              r.guidance(),
              r.seed());
      LOG.warn(
          "worker {}: job {} image {}: {}; rendering its fallback profile {} ({}x{}) instead",
          workerId,
          t.job().jobId(),
          t.index(),
          limit,
          fb.profile(),
          fb.width(),
          fb.height());
      try {
        long startedAt;
        long renderNs;
        RenderedImage img;
        gate.acquire(interactive);
        try {
          status.currentBatch(1);
          startedAt = System.currentTimeMillis();
          long start = System.nanoTime();
          img = pipeline.render(List.of(smaller)).get(0);
          renderNs = System.nanoTime() - start;
        } finally {
          gate.release();
        }
        long renderMs = renderNs / 1_000_000;
        status.batchRendered(1, renderNs);
        sink.succeeded(
            new ImageTask(t.job(), t.index(), smaller),
            img,
            new ResultSink.Rendered(1, renderMs, startedAt, fb.profile()));
      } catch (RuntimeException | OutOfMemoryError e) {
        failFatally(t, limit + "; its fallback " + fb.profile() + " failed too: " + e, sink);
      }
      return;
    }
    LOG.error(
        "worker {}: job {} image {}: {}; failing it", workerId, t.job().jobId(), t.index(), limit);
    failFatally(t, limit + "; use a smaller size or allow a fallback profile", sink);
  }

  private static void failFatally(ImageTask t, String reason, ResultSink sink) {
    sink.failed(t, reason, new FatalRenderException(reason));
  }

  /** Stops the encoder threads. */
  @Override
  public void close() {
    encoders.shutdown();
  }
}
