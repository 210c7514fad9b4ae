package dev.turbofarm.store.image;

import dev.turbofarm.store.ResultStore;
import dev.turbofarm.store.StorageException;
import dev.turbofarm.store.StorageKeys;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Stores a rendered image the worker's way: the PNG ({@link PngEncoder}), its SHA-256 and CRC-32
 * computed before anything is written, and its JPEG thumbnails ({@link
 * StorageKeys#THUMBNAIL_SIZES}). Thumbnails go first and the PNG last, so whoever sees the image
 * finds its thumbnails beside it. Every object is created only if absent: when an earlier attempt
 * already stored the job's image, that image stands and its own checksums are returned, so what is
 * recorded always describes the bytes behind the key.
 */
public final class ImageWriter {
  public static final String PNG = "image/png";
  public static final String JPEG = "image/jpeg";

  private final ResultStore store;

  public ImageWriter(ResultStore store) {
    this.store = store;
  }

  public ResultStore store() {
    return store;
  }

  /**
   * Encodes and stores image {@code index} of job {@code jobId} with its thumbnails.
   *
   * @throws StorageException when it could not be stored
   */
  public StoredImage write(UUID jobId, int index, BufferedImage image) {
    byte[] png = PngEncoder.encode(image);
    String key = StorageKeys.image(jobId, index);
    List<Integer> sizes = new ArrayList<>();
    BufferedImage from = image;
    // Largest first: each smaller thumbnail is scaled from the one before, not from the render.
    List<Integer> descending = new ArrayList<>(StorageKeys.THUMBNAIL_SIZES);
    descending.sort((a, b) -> b - a);
    for (int size : descending) {
      from = Thumbnails.scale(from, size);
      store.putIfAbsent(StorageKeys.thumbnail(jobId, index, size), Thumbnails.jpeg(from), JPEG);
      sizes.add(size);
    }
    sizes.sort(Integer::compare);
    if (store.putIfAbsent(key, png, PNG)) {
      return new StoredImage(key, sha256Hex(png), png.length, crc32(png), sizes, true);
    }
    return describeExisting(key, sizes);
  }

  /** The checksums of the image an earlier attempt stored under {@code key}. */
  private StoredImage describeExisting(String key, List<Integer> sizes) {
    MessageDigest sha = sha256();
    CRC32 crc = new CRC32();
    long n = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = store.open(key)) {
      int r;
      while ((r = in.read(buf)) > 0) {
        sha.update(buf, 0, r);
        crc.update(buf, 0, r);
        n += r;
      }
    } catch (IOException e) {
      throw new StorageException("cannot read back the stored " + key + ": " + e, e);
    }
    return new StoredImage(
        key, HexFormat.of().formatHex(sha.digest()), n, crc.getValue(), sizes, false);
  }

  /** Lower-case hex SHA-256. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  public static long crc32(byte[] bytes) {
    CRC32 c = new CRC32();
    c.update(bytes);
    return c.getValue();
  }

  /** A fresh SHA-256 digest; every JVM has one. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
