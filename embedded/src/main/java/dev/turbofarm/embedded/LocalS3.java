package dev.turbofarm.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-protocol server on loopback: s3proxy (org.gaul:s3proxy, its runnable jar from Maven
 * Central) with its {@code filesystem-nio2} backend, as its own process so that none of its
 * libraries (Jetty, jclouds, Guava) meet the caller's. Buckets are directories under {@code
 * dataDir}. Used by the result-store and coordinator tests and, through {@link LocalS3Main}, by the
 * local farm ({@code ./farm up --storage s3}); docs/adr/0007-local-s3-server.md says why this
 * server.
 */
public final class LocalS3 implements AutoCloseable {
  /** The local server's fixed credentials: loopback only, never a real secret. */
  public static final String ACCESS_KEY = "turbofarm-local";

  public static final String SECRET_KEY = "turbofarm-local-secret";

  /** System property naming the s3proxy jar (the builds copy it into target/s3proxy/). */
  public static final String JAR_PROPERTY = "local.s3proxy.jar";

  /** Cold start of s3proxy on 2 shared cores is ~3 s; 60 s is the give-up point. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** Heap of the s3proxy process, MiB: it streams, it does not buffer objects. */
  private static final int HEAP_MB = 256;

  private final Process process;
  private final int port;
  private final Path log;

  private LocalS3(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The jar named by {@link #JAR_PROPERTY}; fails naming the property when it is not set. */
  public static Path jarFromSystemProperty() {
    String jar = System.getProperty(JAR_PROPERTY);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new EmbeddedStartException(
          "s3proxy jar not found (system property "
              + JAR_PROPERTY
              + " = "
              + jar
              + "); the module's build copies it to target/s3proxy/s3proxy.jar",
          null);
    }
    return Path.of(jar);
  }

  /**
   * Starts s3proxy on {@code port} (0: a free one) storing under {@code dataDir}, and returns once
   * it answers HTTP.
   */
  public static LocalS3 start(Path jar, Path dataDir, int port) {
    int p = port == 0 ? Ports.freePort() : port;
    try {
      Files.createDirectories(dataDir);
      Path props = dataDir.resolveSibling(dataDir.getFileName() + "-s3proxy.properties");
      Files.writeString(props, properties(dataDir, p), StandardCharsets.UTF_8);
      Path log = dataDir.resolveSibling(dataDir.getFileName() + "-s3proxy.log");
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      java.toString(),
                      "-Xmx" + HEAP_MB + "m",
                      "-jar",
                      jar.toAbsolutePath().toString(),
                      "--properties",
                      props.toAbsolutePath().toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("LOG_LEVEL", "warn");
      LocalS3 s3 = new LocalS3(pb.start(), p, log);
      Runtime.getRuntime().addShutdownHook(new Thread(s3::close, "s3proxy-stop"));
      s3.awaitReady();
      return s3;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start s3proxy from " + jar, e);
    }
  }

  /** s3proxy's settings: loopback only, AWS signatures v2/v4 with the fixed local keys. */
  static String properties(Path dataDir, int port) {
    return String.join(
        "\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem-nio2",
        "jclouds.identity=" + ACCESS_KEY,
        "jclouds.credential=" + SECRET_KEY,
        "jclouds.filesystem.basedir=" + dataDir.toAbsolutePath(),
        "");
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new EmbeddedStartException(
            "s3proxy exited with code " + process.exitValue() + " at start; see " + log, null);
      }
      try {
        HttpURLConnection c = (HttpURLConnection) endpoint().toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(5000);
        c.getResponseCode(); // any answer (403 without a signature) means it serves
        c.disconnect();
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          close();
          throw new EmbeddedStartException(
              "s3proxy did not answer within " + START_TIMEOUT.toSeconds() + " s; see " + log,
              notYet);
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddedStartException("interrupted while s3proxy started", e);
      }
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the server: SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
