package dev.turbofarm.coordinator;

import dev.turbofarm.testfixtures.ChaosPipeline;
import dev.turbofarm.worker.Worker;
import dev.turbofarm.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one worker of the coordinator tests, in this JVM, on the real broker: the chaos fixture
 * pipeline (instant renders, prompts with {@code #poison} always fail) and a memory budget of
 * {@link #BUDGET_PIXELS}, so every test class can rely on the same behaviour. One worker only: a
 * second share-group member would take some of another test's jobs.
 */
final class TestWorker {
  static final String ID = "test-worker";

  /** Three 512x512 images fit in one batch; one 1024x1024 image does not, px. */
  static final long BUDGET_PIXELS = 1_000_000;

  private static Worker worker;

  private TestWorker() {}

  /** Starts the worker once; returns the result root (the filesystem store's; null on S3). */
  static synchronized Path ensureStarted() {
    if (worker == null) {
      worker =
          new Worker(
              new WorkerConfig(
                  ID,
                  FarmServicesResource.bootstrap(),
                  TestStorage.settings(),
                  0,
                  "chaos",
                  4,
                  BUDGET_PIXELS,
                  Duration.ofMillis(5),
                  Duration.ofMillis(200),
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(10)),
              () -> new ChaosPipeline(0));
      java.util.concurrent.atomic.AtomicReference<Throwable> failed =
          new java.util.concurrent.atomic.AtomicReference<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  worker.run();
                } catch (Exception | Error e) {
                  failed.set(e);
                  throw new IllegalStateException(e);
                }
              },
              ID);
      t.setDaemon(true);
      t.start();
      Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
      // A worker that cannot start (its store unreachable, say) fails the tests at once, saying
      // why,
      // instead of leaving every job to time out.
      org.awaitility.Awaitility.await("test worker ready")
          .atMost(java.time.Duration.ofSeconds(60))
          .until(
              () -> {
                if (failed.get() != null) {
                  throw new IllegalStateException("the test worker failed to start", failed.get());
                }
                var state = worker.status().state();
                return state == dev.turbofarm.common.messaging.Heartbeat.WorkerState.READY
                    || state == dev.turbofarm.common.messaging.Heartbeat.WorkerState.BUSY;
              });
    }
    return TestStorage.settings().root();
  }
}
