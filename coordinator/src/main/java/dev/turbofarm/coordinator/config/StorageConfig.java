package dev.turbofarm.coordinator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where results are and how they are served: every key under {@code turbofarm.storage.*}, each with
 * its default and unit. The workers must write to the same store (their {@code --storage} flags).
 */
@ConfigMapping(prefix = "turbofarm.storage")
public interface StorageConfig {

  /**
   * The result store: {@code filesystem} (a directory, shared on a multi-host farm) or {@code s3}.
   */
  @WithDefault("filesystem")
  String kind();

  /** The filesystem store's directory, a path (the workers' {@code --result-root}). */
  @WithDefault("farm-data/results")
  Path root();

  /**
   * Absolute base of the URLs the API shows ({@code images[].url}, the manifest's {@code url}),
   * e.g. {@code https://farm.example.com/}; absent: the base URI of each request.
   */
  Optional<URI> publicBaseUrl();

  /** The S3 store. */
  S3 s3();

  /** Retention of stored images. */
  Retention retention();

  /** The S3 store's settings. */
  interface S3 {
    /** The service's URL, e.g. {@code http://minio:9000}; absent: AWS S3's regional endpoint. */
    Optional<URI> endpoint();

    /** The signing region, a name. */
    @WithDefault("us-east-1")
    String region();

    /** The bucket every image is in, a name. */
    @WithDefault("turbofarm")
    String bucket();

    /** Prefix of every key in the bucket, text; absent for none. */
    Optional<String> prefix();

    /** Path-style URLs ({@code endpoint/bucket/key}), which MinIO and s3proxy need, a flag. */
    @WithDefault("true")
    boolean pathStyle();

    /** The access key id; absent: the AWS SDK's default credential chain. */
    Optional<String> accessKey();

    /** The secret access key, with {@code access-key}. */
    Optional<String> secretKey();

    /** Create the bucket at start when it is missing (local farms), a flag. */
    @WithDefault("false")
    boolean createBucket();

    /**
     * Answer an image GET with a 302 to a presigned URL of the object store instead of streaming
     * the bytes through the coordinator, a flag. Clients must reach the store's endpoint.
     */
    @WithDefault("false")
    boolean redirect();

    /** How long a presigned URL of a redirect is valid, a duration. */
    @WithDefault("5m")
    Duration presignTtl();
  }

  /**
   * Retention settings; the days themselves are per team (PUT
   * /api/v1/admin/teams/{team}/retention).
   */
  interface Retention {
    /** How often expired images are looked for, a period (the scheduler's {@code every}). */
    @WithDefault("1h")
    Duration sweepInterval();

    /** Most images deleted per transaction of a sweep, images: bounds one transaction's locks. */
    @WithDefault("500")
    int batchSize();
  }
}
