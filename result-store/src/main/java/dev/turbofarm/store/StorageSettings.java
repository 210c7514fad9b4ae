package dev.turbofarm.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which result store to open and how. The worker builds it from its flags, the coordinator from
 * {@code turbofarm.storage.*}; both must point at the same storage.
 *
 * @param kind {@code filesystem} (the default) or {@code s3}
 * @param root the filesystem store's directory; on a multi-host farm a shared volume mounted on
 *     every worker and coordinator
 * @param s3 the S3 store's settings; ignored by the filesystem store
 */
public record StorageSettings(String kind, Path root, S3 s3) {
  public static final String FILESYSTEM = "filesystem";
  public static final String S3 = "s3";

  public StorageSettings {
    Objects.requireNonNull(kind, "kind");
  }

  /** The filesystem store under {@code root}. */
  public static StorageSettings filesystem(Path root) {
    return new StorageSettings(FILESYSTEM, root, null);
  }

  /** The S3 store. */
  public static StorageSettings s3(S3 s3) {
    return new StorageSettings(S3, null, s3);
  }

  /**
   * An S3-compatible object store (AWS S3, MinIO, Ceph RGW, R2, s3proxy).
   *
   * @param endpoint the service's URL; null for AWS S3's regional endpoint
   * @param region the signing region (any name for most S3-compatible servers)
   * @param bucket the bucket every image goes into
   * @param prefix prepended to every key ({@code "farm-a/"}); empty for none
   * @param pathStyle path-style URLs ({@code endpoint/bucket/key}), which MinIO and s3proxy need
   * @param accessKey the access key id; null for the SDK's default credential chain (environment,
   *     profile, instance role)
   * @param secretKey the secret access key; null with {@code accessKey}
   * @param createBucket create the bucket at start when it does not exist (local farms, tests)
   */
  public record S3(
      URI endpoint,
      String region,
      String bucket,
      String prefix,
      boolean pathStyle,
      String accessKey,
      String secretKey,
      boolean createBucket) {
    public S3 {
      Objects.requireNonNull(bucket, "bucket");
      region = region == null || region.isBlank() ? "us-east-1" : region;
      prefix = prefix == null ? "" : prefix;
    }
  }
}
