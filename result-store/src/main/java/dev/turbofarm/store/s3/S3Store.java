package dev.turbofarm.store.s3;

import dev.turbofarm.store.ObjectNotFoundException;
import dev.turbofarm.store.ResultStore;
import dev.turbofarm.store.StorageException;
import dev.turbofarm.store.StorageSettings;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2, s3proxy) through the AWS SDK v2.
 *
 * <p>Create-if-absent: a HEAD first (a redelivered job finds its image and uploads nothing), then a
 * PUT with {@code If-None-Match: *}, which AWS S3, MinIO and R2 refuse with 412 when the key exists
 * by then: the first write wins, atomically. A server that ignores the header (s3proxy 2.6.0, the
 * local farm's: docs/adr/0007-local-s3-server.md) leaves only the HEAD, whose check and PUT are two
 * steps; a single PUT is atomic on every S3 server, so a reader never sees part of an object.
 *
 * <p>Checksums: the SDK's flexible checksums are sent only where an operation requires them ({@code
 * WHEN_REQUIRED}); its default (since 2.30) streams every upload as {@code aws-chunked} with a
 * trailing CRC, which S3-compatible servers that predate it store with the chunk framing inside the
 * object (measured on s3proxy 2.6.0: the ADR). The worker's own SHA-256, recorded with the image,
 * is what readers check.
 */
public final class S3Store implements ResultStore {
  /** Concurrent connections to the store: the coordinator streams to many clients at once. */
  private static final int MAX_CONNECTIONS = 64;

  /** HTTP status of a conditional PUT whose key exists. */
  private static final int PRECONDITION_FAILED = 412;

  private static final int NOT_FOUND = 404;

  private final StorageSettings.S3 settings;
  private final S3Client s3;
  private final S3Presigner presigner;

  public S3Store(StorageSettings.S3 settings) {
    this.settings = settings;
    AwsCredentialsProvider credentials =
        settings.accessKey() == null || settings.accessKey().isBlank()
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    var builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(settings.pathStyle())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS));
    var presign =
        S3Presigner.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
      presign.endpointOverride(settings.endpoint());
    }
    this.s3 = builder.build();
    this.presigner = presign.build();
    try {
      checkBucket();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void checkBucket() {
    try {
      s3.headBucket(b -> b.bucket(settings.bucket()));
    } catch (S3Exception e) {
      if (e.statusCode() == NOT_FOUND && settings.createBucket()) {
        try {
          s3.createBucket(b -> b.bucket(settings.bucket()));
          return;
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException raced) {
          // Another process (the coordinator, a worker) created it a moment ago.
          return;
        } catch (SdkException c) {
          throw new StorageException("cannot create bucket " + where() + ": " + c.getMessage(), c);
        }
      }
      throw new StorageException(
          "bucket "
              + where()
              + " is not usable (HTTP "
              + e.statusCode()
              + "): create it, or check the credentials and region",
          e);
    } catch (SdkException e) {
      throw new StorageException(
          "cannot reach the object store " + where() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String kind() {
    return "s3";
  }

  @Override
  public String describe() {
    return where();
  }

  private String where() {
    return "s3://"
        + settings.bucket()
        + "/"
        + settings.prefix()
        + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
  }

  private String objectKey(String key) {
    return settings.prefix() + key;
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes, String contentType) {
    if (size(key).isPresent()) {
      return false;
    }
    try {
      s3.putObject(
          b ->
              b.bucket(settings.bucket())
                  .key(objectKey(key))
                  .contentType(contentType)
                  .contentLength((long) bytes.length)
                  .ifNoneMatch("*"),
          RequestBody.fromBytes(bytes));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == PRECONDITION_FAILED) {
        return false;
      }
      throw new StorageException("cannot write " + key + " to " + where() + ": " + e, e);
    } catch (SdkException e) {
      throw new StorageException("cannot write " + key + " to " + where() + ": " + e, e);
    }
  }

  @Override
  public Optional<Long> size(String key) {
    try {
      return Optional.of(
          s3.headObject(b -> b.bucket(settings.bucket()).key(objectKey(key))).contentLength());
    } catch (S3Exception e) {
      if (e.statusCode() == NOT_FOUND) {
        return Optional.empty();
      }
      throw new StorageException("cannot stat " + key + " in " + where() + ": " + e, e);
    } catch (SdkException e) {
      throw new StorageException("cannot stat " + key + " in " + where() + ": " + e, e);
    }
  }

  @Override
  public InputStream open(String key) {
    return get(key, GetObjectRequest.builder());
  }

  @Override
  public InputStream open(String key, long offset, long length) {
    if (length <= 0) {
      return InputStream.nullInputStream();
    }
    return get(
        key, GetObjectRequest.builder().range("bytes=" + offset + "-" + (offset + length - 1)));
  }

  private InputStream get(String key, GetObjectRequest.Builder request) {
    try {
      return s3.getObject(request.bucket(settings.bucket()).key(objectKey(key)).build());
    } catch (S3Exception e) {
      if (e.statusCode() == NOT_FOUND) {
        throw new ObjectNotFoundException(key, where());
      }
      throw new StorageException("cannot read " + key + " from " + where() + ": " + e, e);
    } catch (SdkException e) {
      throw new StorageException("cannot read " + key + " from " + where() + ": " + e, e);
    }
  }

  @Override
  public boolean delete(String key) {
    boolean existed = size(key).isPresent();
    try {
      s3.deleteObject(b -> b.bucket(settings.bucket()).key(objectKey(key)));
      return existed;
    } catch (SdkException e) {
      throw new StorageException("cannot delete " + key + " from " + where() + ": " + e, e);
    }
  }

  @Override
  public Optional<URI> presignedGet(String key, Duration ttl) {
    try {
      return Optional.of(
          presigner
              .presignGetObject(
                  GetObjectPresignRequest.builder()
                      .signatureDuration(ttl)
                      .getObjectRequest(b -> b.bucket(settings.bucket()).key(objectKey(key)))
                      .build())
              .url()
              .toURI());
    } catch (java.net.URISyntaxException e) {
      throw new StorageException("presigned URL of " + key + " is not a URI: " + e, e);
    }
  }

  @Override
  public void close() {
    s3.close();
    presigner.close();
  }
}
