package dev.turbofarm.store;

import dev.turbofarm.embedded.LocalS3;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the S3 store, against a real S3-protocol server on loopback (s3proxy). */
class S3StoreTest extends ResultStoreContract {
  @TempDir static Path dir;
  static LocalS3 server;
  private static ResultStore store;

  @BeforeAll
  static void startServer() {
    server = LocalS3.start(LocalS3.jarFromSystemProperty(), dir.resolve("s3"), 0);
    store = ResultStores.open(settings("contract", "farm-a/"));
  }

  static StorageSettings settings(String bucket, String prefix) {
    return StorageSettings.s3(
        new StorageSettings.S3(
            server.endpoint(),
            "us-east-1",
            bucket,
            prefix,
            true,
            LocalS3.ACCESS_KEY,
            LocalS3.SECRET_KEY,
            true));
  }

  @AfterAll
  static void stopServer() {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void alive() {
    org.assertj.core.api.Assertions.assertThat(server.isAlive()).as("s3proxy runs").isTrue();
  }

  @org.junit.jupiter.api.Test
  void aPresignedUrlServesTheObjectWithoutCredentials() throws Exception {
    byte[] bytes = random(5_000, 77);
    String key = StorageKeys.image(java.util.UUID.randomUUID(), 0);
    store.putIfAbsent(key, bytes, "image/png");

    java.net.URI url = store.presignedGet(key, java.time.Duration.ofMinutes(1)).orElseThrow();

    java.net.HttpURLConnection c = (java.net.HttpURLConnection) url.toURL().openConnection();
    org.assertj.core.api.Assertions.assertThat(c.getResponseCode()).isEqualTo(200);
    try (var in = c.getInputStream()) {
      org.assertj.core.api.Assertions.assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }

  @Override
  protected ResultStore store() {
    return store;
  }

  /** s3proxy 2.6.0 ignores If-None-Match on PUT: its create-if-absent is HEAD, then PUT. */
  @Override
  protected boolean atomicCreate() {
    return false;
  }
}
