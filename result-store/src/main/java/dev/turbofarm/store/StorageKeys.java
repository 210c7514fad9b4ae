package dev.turbofarm.store;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where an image and its thumbnails live in any result store: {@code <2 hex>/<job id>/<index>.png}
 * and {@code <2 hex>/<job id>/<index>.t<size>.jpg} beside it. Derived from the job id and index
 * alone, so any host finds any image, and the coordinator never needs a key (or a path) that a
 * message claims.
 */
public final class StorageKeys {
  /** Thumbnail sizes the worker writes beside each image: the longer side, pixels. */
  public static final List<Integer> THUMBNAIL_SIZES = List.of(128, 256, 512);

  private static final Pattern IMAGE =
      Pattern.compile("[0-9a-f]{2}/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/\\d{1,3}\\.png");

  private StorageKeys() {}

  /**
   * {@code ab/abcdef01-.../0.png}: two hex digits fan out the directories (or prefixes) of jobs.
   */
  public static String image(UUID jobId, int index) {
    return dir(jobId) + index + ".png";
  }

  /** {@code ab/abcdef01-.../0.t256.jpg}: the thumbnail of {@code size} px beside its image. */
  public static String thumbnail(UUID jobId, int index, int size) {
    return dir(jobId) + index + ".t" + size + ".jpg";
  }

  /** The thumbnail key beside an image key. */
  public static String thumbnailOf(String imageKey, int size) {
    if (!imageKey.endsWith(".png")) {
      throw new IllegalArgumentException("not an image key: " + imageKey);
    }
    return imageKey.substring(0, imageKey.length() - ".png".length()) + ".t" + size + ".jpg";
  }

  /** Whether {@code key} has the shape of an image key (checked on whatever a message carries). */
  public static boolean isImageKey(String key) {
    return key != null && IMAGE.matcher(key).matches();
  }

  private static String dir(UUID jobId) {
    String id = jobId.toString();
    return id.substring(0, 2) + "/" + id + "/";
  }
}
