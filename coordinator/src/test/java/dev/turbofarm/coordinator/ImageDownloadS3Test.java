package dev.turbofarm.coordinator;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ImageDownloadContract} on the S3 store: a real S3-protocol server (s3proxy) on loopback,
 * written by the test worker and read by the coordinator. Run by the pom's {@code s3-storage}
 * execution, whose JVM sets {@code farm.test.storage=s3}.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class ImageDownloadS3Test extends ImageDownloadContract {
  @BeforeAll
  static void onS3() {
    // A -Dtest pattern picks it in the filesystem JVM too; it runs in the s3-storage one.
    Assumptions.assumeTrue(
        TestStorage.s3(), "runs with -Dfarm.test.storage=s3 (the s3-storage execution)");
  }
}
