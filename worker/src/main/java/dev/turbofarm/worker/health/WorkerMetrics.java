package dev.turbofarm.worker.health;

import ai.djl.util.cuda.CudaUtils;
import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.worker.WorkerStatus;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.lang.management.MemoryUsage;
import java.time.Duration;

/**
 * The worker's own metrics in Prometheus format on {@code GET /metrics} of its health port
 * (docs/operations.md, "Worker metrics"): images rendered and images/s, batch fill and batch render
 * time, jobs in flight, state, and device memory (the GPU's through CUDA when the worker has one,
 * else the process's resident memory against the machine's). The coordinator's metrics see the
 * farm; these let an admin compare one worker, or one GPU, with the rest.
 */
public final class WorkerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final DistributionSummary fill;
  private final DistributionSummary batchImages;
  private final Timer render;

  public WorkerMetrics(WorkerStatus status) {
    FunctionCounter.builder(
            "turbofarm.worker.images.rendered", status, s -> (double) s.imagesRendered())
        .description(
            "Images this worker rendered for jobs since it started (its warm-up not counted)")
        .register(registry);
    Gauge.builder("turbofarm.worker.images.per.second", status, WorkerStatus::imagesPerSecond)
        .description("Images per second over the last heartbeat interval")
        .register(registry);
    Gauge.builder("turbofarm.worker.jobs.in.flight", status, s -> s.inFlight().size())
        .description("Jobs this worker holds: taken from the topics and not yet acknowledged")
        .register(registry);
    Gauge.builder("turbofarm.worker.max.batch", status, WorkerStatus::maxBatchSize)
        .description("The largest sampler batch this worker renders, images")
        .register(registry);
    for (WorkerState state : WorkerState.values()) {
      Gauge.builder("turbofarm.worker.state", status, s -> s.state() == state ? 1 : 0)
          .description("1 for the state this worker is in, 0 for the others")
          .tag("state", state.name())
          .register(registry);
    }
    fill =
        DistributionSummary.builder("turbofarm.worker.batch.fill")
            .description("Each sampler batch's images over the max batch (1 = full)")
            .serviceLevelObjectives(0.125, 0.25, 0.5, 0.75, 0.99, 1.0)
            .register(registry);
    batchImages =
        DistributionSummary.builder("turbofarm.worker.batch.images")
            .description("Images per sampler batch")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
            .register(registry);
    render =
        Timer.builder("turbofarm.worker.batch.render")
            .description("Sampler time of one batch, seconds (decode and PNG encoding excluded)")
            .serviceLevelObjectives(
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60))
            .register(registry);
    deviceMemory();
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    status.onBatch(this::batch);
  }

  private void deviceMemory() {
    int gpus = gpuCount();
    if (gpus == 0) {
      Gauge.builder("turbofarm.worker.device.memory.used", () -> ProcessMemory.residentBytes())
          .description("Device memory in use: the process's resident memory on a CPU worker")
          .baseUnit("bytes")
          .tag("device", "cpu")
          .register(registry);
      Gauge.builder("turbofarm.worker.device.memory.total", () -> ProcessMemory.machineBytes())
          .description("Device memory: the machine's memory on a CPU worker")
          .baseUnit("bytes")
          .tag("device", "cpu")
          .register(registry);
      return;
    }
    for (int i = 0; i < gpus; i++) {
      ai.djl.Device device = ai.djl.Device.gpu(i);
      Gauge.builder("turbofarm.worker.device.memory.used", () -> gpuMemory(device).getUsed())
          .description("Device memory in use on the GPU (CUDA)")
          .baseUnit("bytes")
          .tag("device", "gpu" + i)
          .register(registry);
      Gauge.builder("turbofarm.worker.device.memory.total", () -> gpuMemory(device).getMax())
          .description("The GPU's memory (CUDA)")
          .baseUnit("bytes")
          .tag("device", "gpu" + i)
          .register(registry);
    }
  }

  private static int gpuCount() {
    try {
      return CudaUtils.hasCuda() ? CudaUtils.getGpuCount() : 0;
    } catch (RuntimeException | LinkageError e) {
      return 0;
    }
  }

  private static MemoryUsage gpuMemory(ai.djl.Device device) {
    try {
      return CudaUtils.getGpuMemory(device);
    } catch (RuntimeException | LinkageError e) {
      return new MemoryUsage(0, 0, 0, 0);
    }
  }

  void batch(int images, int maxBatch, long renderNanos) {
    batchImages.record(images);
    if (maxBatch > 0) {
      fill.record(Math.min(1.0, images / (double) maxBatch));
    }
    render.record(Duration.ofNanos(renderNanos));
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
