package dev.turbofarm.coordinator;

import dev.turbofarm.embedded.LocalS3;
import dev.turbofarm.store.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The result store of this test JVM, shared by the coordinator under test and the {@link
 * TestWorker}: a temporary directory (default), or a real S3-protocol server on loopback (s3proxy,
 * as its own process) with {@code -Dfarm.test.storage=s3} (the pom's {@code s3-storage} execution
 * of the {@code *S3Test} classes).
 */
final class TestStorage {
  static final String BUCKET = "turbofarm-test";

  private static StorageSettings settings;
  private static Map<String, String> config;

  private TestStorage() {}

  static boolean s3() {
    return "s3".equals(System.getProperty("farm.test.storage"));
  }

  /** The store's settings, as the worker takes them; starts the store once per JVM. */
  static synchronized StorageSettings settings() {
    if (settings == null) {
      try {
        Path dir = Files.createTempDirectory("turbofarm-storage-");
        if (s3()) {
          LocalS3 server = LocalS3.start(LocalS3.jarFromSystemProperty(), dir.resolve("s3"), 0);
          settings =
              StorageSettings.s3(
                  new StorageSettings.S3(
                      server.endpoint(),
                      "us-east-1",
                      BUCKET,
                      "",
                      true,
                      LocalS3.ACCESS_KEY,
                      LocalS3.SECRET_KEY,
                      true));
          config =
              Map.of(
                  "turbofarm.storage.kind",
                  "s3",
                  "turbofarm.storage.root",
                  dir.resolve("unused-root").toString(),
                  "turbofarm.storage.s3.endpoint",
                  server.endpoint().toString(),
                  "turbofarm.storage.s3.bucket",
                  BUCKET,
                  "turbofarm.storage.s3.access-key",
                  LocalS3.ACCESS_KEY,
                  "turbofarm.storage.s3.secret-key",
                  LocalS3.SECRET_KEY,
                  "turbofarm.storage.s3.create-bucket",
                  "true");
        } else {
          Path root = dir.resolve("results");
          settings = StorageSettings.filesystem(root);
          config =
              Map.of(
                  "turbofarm.storage.kind",
                  "filesystem",
                  "turbofarm.storage.root",
                  root.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return settings;
  }

  /** The coordinator's {@code turbofarm.storage.*} for the same store. */
  static synchronized Map<String, String> config() {
    settings();
    return config;
  }
}
