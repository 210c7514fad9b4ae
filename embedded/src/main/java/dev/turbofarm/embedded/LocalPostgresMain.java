package dev.turbofarm.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link LocalPostgres} as its own process: {@code --dir DIR --port N [--database NAME]...
 * [--server-config KEY=VALUE]...}. Prints exactly one line {@code POSTGRES READY jdbc=URL port=N
 * user=U} to stdout once it serves and each requested database exists, and stops the server on
 * SIGTERM.
 */
public final class LocalPostgresMain {
  private LocalPostgresMain() {}

  public static void main(String[] args) throws InterruptedException {
    MainArgs parsed = MainArgs.parse("LocalPostgresMain", args);
    MainArgs.quietDefaults();
    LocalPostgres pg;
    try {
      pg = LocalPostgres.start(Path.of(parsed.dir()), parsed.port(), parsed.serverConfig());
      for (String db : parsed.databases()) {
        pg.createDatabaseIfMissing(db);
      }
    } catch (RuntimeException e) {
      System.err.println("POSTGRES FAILED " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  pg.close();
                  stopped.countDown();
                },
                "postgres-stop"));
    String db = parsed.databases().isEmpty() ? "postgres" : parsed.databases().get(0);
    System.out.println(
        "POSTGRES READY jdbc=" + pg.jdbcUrl(db) + " port=" + pg.port() + " user=" + pg.username());
    System.out.flush();
    parsed.exitWhenParentDies();
    stopped.await();
  }
}
