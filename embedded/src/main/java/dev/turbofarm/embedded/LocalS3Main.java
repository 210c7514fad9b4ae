package dev.turbofarm.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link LocalS3} for the local farm: {@code --dir DIR --port N --jar S3PROXY_JAR
 * [--parent-pid P]}. Prints one line {@code S3 READY endpoint=http://127.0.0.1:N} once s3proxy
 * serves, stops it on SIGTERM, and stops when process P dies, so no server outlives its farm.
 */
public final class LocalS3Main {
  private LocalS3Main() {}

  public static void main(String[] args) throws InterruptedException {
    String jar = null;
    String[] rest = new String[args.length];
    int n = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--jar") && i + 1 < args.length) {
        jar = args[++i];
      } else {
        rest[n++] = args[i];
      }
    }
    MainArgs parsed = MainArgs.parse("LocalS3Main", java.util.Arrays.copyOf(rest, n));
    if (jar == null) {
      System.err.println("LocalS3Main: --jar S3PROXY_JAR is required");
      System.exit(2);
    }
    LocalS3 s3;
    try {
      s3 = LocalS3.start(Path.of(jar), Path.of(parsed.dir()), parsed.port());
    } catch (RuntimeException e) {
      System.err.println("S3 FAILED " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  s3.close();
                  stopped.countDown();
                },
                "s3-stop"));
    System.out.println(
        "S3 READY endpoint=" + s3.endpoint() + " pid=" + s3.pid() + " log=" + s3.log());
    System.out.flush();
    parsed.exitWhenParentDies();
    stopped.await();
  }
}
