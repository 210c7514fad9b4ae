package dev.turbofarm.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbofarm.embedded.LocalS3;
import dev.turbofarm.store.image.ImageWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Why the S3 store sends checksums only when required: what the AWS SDK's defaults (flexible
 * checksums, {@code aws-chunked} uploads with a trailing checksum) do to the bytes s3proxy 2.6.0
 * stores, compared with what the store itself writes (docs/adr/0007-local-s3-server.md).
 */
class S3DefaultChecksumsTest {
  @TempDir static Path dir;
  static LocalS3 server;

  @BeforeAll
  static void start() {
    server = LocalS3.start(LocalS3.jarFromSystemProperty(), dir.resolve("s3"), 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theStoreKeepsTheTrueBytesWhereTheSdkDefaultsDoNot() throws Exception {
    byte[] bytes = ResultStoreContract.random(100_000, 42);
    String sha = ImageWriter.sha256Hex(bytes);
    StorageSettings settings =
        StorageSettings.s3(
            new StorageSettings.S3(
                server.endpoint(),
                "us-east-1",
                "checksums",
                "",
                true,
                LocalS3.ACCESS_KEY,
                LocalS3.SECRET_KEY,
                true));
    try (ResultStore store = ResultStores.open(settings);
        S3Client defaults =
            S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build()) {
      String ours = "ours.png";
      String sdkDefaults = "sdk-defaults.png";
      store.putIfAbsent(ours, bytes, ImageWriter.PNG);
      String outcome;
      try {
        defaults.putObject(
            b -> b.bucket("checksums").key(sdkDefaults), RequestBody.fromBytes(bytes));
        byte[] back = ResultStoreContract.readAll(store.open(sdkDefaults));
        outcome =
            back.length
                + " bytes stored for "
                + bytes.length
                + " sent, sha256 "
                + (ImageWriter.sha256Hex(back).equals(sha) ? "equal" : "different");
      } catch (RuntimeException e) {
        outcome = "refused: " + e.getMessage();
      }
      System.out.println("AWS SDK default checksums on s3proxy 2.6.0: " + outcome);

      assertThat(ImageWriter.sha256Hex(ResultStoreContract.readAll(store.open(ours))))
          .as("the store's own upload keeps the true bytes")
          .isEqualTo(sha);
      assertThat(outcome)
          .as("the SDK's default upload does not (else WHEN_REQUIRED could go)")
          .doesNotContain("sha256 equal");
    }
  }
}
