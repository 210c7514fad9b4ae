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
  private static Path resultRoot;

  private TestWorker() {}

  static synchronized Path ensureStarted() {
    if (worker == null) {
      resultRoot = FarmServicesResource.resultRoot();
      worker =
          new Worker(
              new WorkerConfig(
                  ID,
                  FarmServicesResource.bootstrap(),
                  resultRoot,
                  0,
                  "chaos",
                  4,
                  BUDGET_PIXELS,
                  Duration.ofMillis(5),
                  Duration.ofMillis(200),
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(10)),
              () -> new ChaosPipeline(0));
      Thread t =
          new Thread(
              () -> {
                try {
                  worker.run();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              ID);
      t.setDaemon(true);
      t.start();
      Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
    }
    return resultRoot;
  }
}
