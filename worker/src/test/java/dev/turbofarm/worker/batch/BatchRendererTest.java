package dev.turbofarm.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.turbofarm.worker.pipeline.InstantPipeline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What the renderer does with each kind of failure: decided by the failure's type. */
class BatchRendererTest {
  private static final long BUDGET = 512 * 512 * 4;

  @Test
  void aFatalFailureOfOneImageIsPublishedAsFatal() {
    Recorded r = render(one("mug"), batch -> new FatalRenderException("steps must be positive"));
    assertThat(r.failures).hasSize(1);
    assertThat(r.failures.values().iterator().next()).isInstanceOf(FatalRenderException.class);
    assertThat(r.reasons.values().iterator().next())
        .contains("render failed on worker w1")
        .contains("steps must be positive");
  }

  @Test
  void anUnexpectedExceptionCountsAsRetriable() {
    Recorded r = render(one("mug"), batch -> new IllegalStateException("native crash"));
    RenderException failure = r.failures.values().iterator().next();
    assertThat(failure).isInstanceOf(RetriableRenderException.class);
    assertThat(failure.getCause()).hasMessage("native crash");
  }

  @Test
  void aFailingBatchIsSplitSoOnlyThePoisonImageFails() {
    JobMessage job = job("mug", 512, 512, null, 1L, 2L, 3L, 4L);
    Recorded r =
        render(
            tasks(job),
            batch ->
                batch.stream().anyMatch(q -> q.seed() == 3L)
                    ? new RetriableRenderException("bad seed", null)
                    : null);
    assertThat(r.succeeded.keySet()).containsExactlyInAnyOrder(0, 1, 3);
    assertThat(r.failures.keySet()).containsExactly(2);
    assertThat(r.failures.get(2)).isInstanceOf(RetriableRenderException.class);
  }

  @Test
  void anImageOutOfMemoryRendersItsFallbackProfile() {
    JobMessage job = job("mug", 1024, 1024, new JobMessage.Fallback("draft", 512, 512, 10), 1L);
    Recorded r =
        render(
            tasks(job),
            batch ->
                batch.get(0).width() > 512
                    ? new OutOfMemoryRenderException("out of memory", null)
                    : null);
    assertThat(r.failures).isEmpty();
    assertThat(r.succeeded.get(0).fallbackProfile()).isEqualTo("draft");
  }

  @Test
  void anImageOutOfMemoryWithoutFallbackFailsFatally() {
    Recorded r = render(one("mug"), batch -> new OutOfMemoryError("Java heap space"));
    assertThat(r.failures.get(0)).isInstanceOf(FatalRenderException.class);
    assertThat(r.reasons.get(0)).contains("does not fit worker w1's memory budget");
  }

  @Test
  void aSuccessfulBatchReachesTheSinkWhole() {
    Recorded r = render(tasks(job("mug", 512, 512, null, 1L, 2L, 3L)), batch -> null);
    assertThat(r.succeeded.keySet()).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(r.succeeded.get(0).batchSize()).isEqualTo(3);
    assertThat(r.failures).isEmpty();
  }

  @Test
  void theGateIsHeldWhileTheModelRendersAndFreeWhileImagesAreStored() throws Exception {
    RenderGate gate = new RenderGate();
    CountDownLatch rendering = new CountDownLatch(1);
    CountDownLatch finishRender = new CountDownLatch(1);
    CountDownLatch storing = new CountDownLatch(1);
    CountDownLatch finishStore = new CountDownLatch(1);
    Pipeline slow =
        new StepsPipeline(
            (batch, boundary) -> {
              rendering.countDown();
              await(finishRender);
            });
    Recorded sink =
        new Recorded() {
          @Override
          public void succeeded(ImageTask task, RenderedImage image, Rendered how) {
            storing.countDown();
            await(finishStore);
            super.succeeded(task, image, how);
          }
        };
    try (BatchRenderer bulk =
        new BatchRenderer(
            "w1", slow, new BatchPlanner(8, BUDGET), new WorkerStatus(), gate, false)) {
      Thread t = new Thread(() -> bulk.render(one("mug"), sink), "bulk");
      t.start();
      assertThat(rendering.await(10, TimeUnit.SECONDS)).isTrue();
      Thread interactive = new Thread(() -> gate.acquire(true), "interactive");
      interactive.start();
      // An interactive batch waits for the render in progress.
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> interactive.getState() == Thread.State.WAITING);
      finishRender.countDown();
      assertThat(storing.await(10, TimeUnit.SECONDS)).isTrue();
      interactive.join(5000);
      assertThat(interactive.isAlive())
          .as("an interactive batch does not wait for the bulk batch's images to be stored")
          .isFalse();
      gate.release();
      finishStore.countDown();
      t.join(10_000);
      assertThat(sink.succeeded).containsOnlyKeys(0);
    }
  }

  @Test
  void aWaitingInteractiveBatchRendersBetweenTwoStepsOfABulkBatch() throws Exception {
    RenderGate gate = new RenderGate();
    List<String> order = new CopyOnWriteArrayList<>();
    CountDownLatch firstStep = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    Pipeline stepped =
        new StepsPipeline(
            (batch, boundary) -> {
              order.add("bulk step 1");
              firstStep.countDown();
              await(goOn);
              boundary.reached();
              order.add("bulk step 2");
            });
    Recorded sink = new Recorded();
    WorkerStatus status = new WorkerStatus();
    try (BatchRenderer bulk =
        new BatchRenderer("w1", stepped, new BatchPlanner(8, BUDGET), status, gate, false)) {
      Thread t = new Thread(() -> bulk.render(one("mug"), sink), "bulk");
      t.start();
      assertThat(firstStep.await(10, TimeUnit.SECONDS)).isTrue();
      Thread interactive =
          new Thread(
              () -> {
                gate.acquire(true);
                order.add("interactive batch");
                gate.release();
              },
              "interactive");
      interactive.start();
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> interactive.getState() == Thread.State.WAITING);
      goOn.countDown();
      interactive.join(10_000);
      t.join(10_000);
      assertThat(order).containsExactly("bulk step 1", "interactive batch", "bulk step 2");
      assertThat(sink.succeeded).containsOnlyKeys(0);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test did not go on");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<ImageTask> one(String prompt) {
    return tasks(job(prompt, 512, 512, null, 1L));
  }

  private static List<ImageTask> tasks(JobMessage job) {
    return new BatchPlanner(8, BUDGET).plan(List.of(job)).get(0).images();
  }

  private static JobMessage job(
      String prompt, int w, int h, JobMessage.Fallback fallback, Long... seeds) {
    return new JobMessage(
        1,
        UUID.randomUUID(),
        1,
        "t",
        prompt,
        "",
        "draft",
        w,
        h,
        10,
        6.0,
        List.of(seeds),
        0,
        0,
        fallback,
        null,
        0);
  }

  /** Renders with a pipeline that throws what {@code fault} returns for a batch (null: renders). */
  private static Recorded render(
      List<ImageTask> tasks, Function<List<RenderRequest>, Throwable> fault) {
    Pipeline pipeline =
        new StepsPipeline(
            (batch, boundary) -> {
              Throwable t = fault.apply(batch);
              if (t instanceof RuntimeException e) {
                throw e;
              }
              if (t instanceof Error e) {
                throw e;
              }
            });
    Recorded r = new Recorded();
    try (BatchRenderer renderer =
        new BatchRenderer("w1", pipeline, new BatchPlanner(8, BUDGET), new WorkerStatus())) {
      renderer.render(tasks, r);
    }
    return r;
  }

  /**
   * The instant pipeline after {@code steps}, which stand for the model's work and may throw or
   * block; it passes the renderer's step boundary to them.
   */
  private static final class StepsPipeline implements Pipeline {
    private final InstantPipeline inner = new InstantPipeline();
    private final java.util.function.BiConsumer<List<RenderRequest>, StepBoundary> steps;

    StepsPipeline(java.util.function.BiConsumer<List<RenderRequest>, StepBoundary> steps) {
      this.steps = steps;
    }

    @Override
    public String modelId() {
      return "steps";
    }

    @Override
    public List<RenderedImage> render(List<RenderRequest> batch) {
      return render(batch, StepBoundary.NONE);
    }

    @Override
    public List<RenderedImage> render(List<RenderRequest> batch, StepBoundary boundary) {
      steps.accept(batch, boundary);
      return inner.render(batch);
    }

    @Override
    public void close() {}
  }

  /** Outcomes by image index. */
  private static class Recorded implements ResultSink {
    final Map<Integer, Rendered> succeeded = new ConcurrentHashMap<>();
    final Map<Integer, RenderException> failures = new ConcurrentHashMap<>();
    final Map<Integer, String> reasons = new ConcurrentHashMap<>();

    @Override
    public void succeeded(ImageTask task, RenderedImage image, Rendered how) {
      succeeded.put(task.index(), how);
    }

    @Override
    public void failed(ImageTask task, String reason, RenderException failure) {
      failures.put(task.index(), failure);
      reasons.put(task.index(), reason);
    }

    @Override
    public void release(UUID jobId) {
      throw new AssertionError("nothing here fails to store or publish");
    }
  }
}
