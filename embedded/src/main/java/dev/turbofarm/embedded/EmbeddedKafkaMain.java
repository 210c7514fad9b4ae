package dev.turbofarm.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link EmbeddedKafka} as its own process: {@code --dir DIR --port N}. Prints exactly one
 * line {@code KAFKA READY bootstrap=127.0.0.1:N} to stdout once it serves (the launcher waits for
 * it), logs to stderr, and stops cleanly on SIGTERM.
 */
public final class EmbeddedKafkaMain {
  private EmbeddedKafkaMain() {}

  public static void main(String[] args) throws InterruptedException {
    MainArgs parsed = MainArgs.parse("EmbeddedKafkaMain", args);
    MainArgs.quietDefaults();
    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.start(Path.of(parsed.dir()), parsed.port());
    } catch (EmbeddedStartException e) {
      System.err.println("KAFKA FAILED " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  stopped.countDown();
                },
                "kafka-stop"));
    System.out.println("KAFKA READY bootstrap=" + kafka.bootstrapServers());
    System.out.flush();
    parsed.exitWhenParentDies();
    stopped.await();
  }
}
