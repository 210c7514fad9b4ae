package dev.turbofarm.coordinator;

import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.worker.Worker;
import dev.turbofarm.worker.WorkerConfig;
import dev.turbofarm.worker.pipeline.PipelineCatalog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A second in-JVM worker for the tests that need real images: the bundled model (found by its
 * provider name, as the worker process finds it), on the real broker. It serves its own model, so
 * it only ever receives jobs for that model (its own jobs topic) and never takes the chaos
 * worker's; started on first use, stopped with the JVM.
 */
final class BundledTestWorker {
  static final String ID = "bundled-test-worker";

  private static Worker worker;
  private static CompletableFuture<String> modelId;

  private BundledTestWorker() {}

  /** Starts the worker once; returns its model id once the model is loaded. */
  static synchronized String ensureStarted() {
    if (worker == null) {
      modelId = new CompletableFuture<>();
      worker =
          new Worker(
              new WorkerConfig(
                  ID,
                  FarmServicesResource.bootstrap(),
                  // The store the coordinator under test reads, as on a real farm.
                  TestStorage.settings(),
                  0,
                  "bundled",
                  8,
                  16_777_216L,
                  Duration.ofMillis(5),
                  Duration.ofMillis(200),
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(60)),
              () -> {
                Pipeline p = PipelineCatalog.discover(List.of()).provider("bundled").load();
                modelId.complete(p.modelId());
                return p;
              });
      Thread t =
          new Thread(
              () -> {
                try {
                  worker.run();
                } catch (Exception e) {
                  modelId.completeExceptionally(e);
                  throw new IllegalStateException(e);
                }
              },
              ID);
      t.setDaemon(true);
      t.start();
      Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
    }
    try {
      return modelId.get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("the bundled model did not load", e);
    }
  }

  /** Whether the worker has warmed up and takes jobs. */
  static boolean ready() {
    return worker != null && worker.status().state().name().matches("READY|BUSY");
  }
}
