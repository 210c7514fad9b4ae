package dev.turbofarm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.store.image.ImageWriter;
import dev.turbofarm.store.image.StoredImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * What every result store promises, run against each implementation by a subclass that opens one:
 * write and read back byte for byte, first write wins, ranges, sizes, deletes, and the worker's
 * image writer (PNG read back pixel for pixel, its SHA-256, thumbnails beside it).
 */
abstract class ResultStoreContract {

  /** A store to test, empty. */
  protected abstract ResultStore store();

  /**
   * Whether concurrent creators of one key can never both succeed (one atomic create-if-absent). A
   * store without it still never shows a partial object.
   */
  protected abstract boolean atomicCreate();

  @Test
  void writesAndReadsBackByteForByte() throws Exception {
    byte[] bytes = random(300_001, 1);
    String key = StorageKeys.image(UUID.randomUUID(), 0);

    assertThat(store().putIfAbsent(key, bytes, ImageWriter.PNG)).isTrue();

    assertThat(readAll(store().open(key))).isEqualTo(bytes);
    assertThat(store().size(key)).contains((long) bytes.length);
  }

  @Test
  void theFirstWriteWins() throws Exception {
    String key = StorageKeys.image(UUID.randomUUID(), 3);
    byte[] first = random(10_000, 2);
    byte[] second = random(12_000, 3);

    assertThat(store().putIfAbsent(key, first, ImageWriter.PNG)).isTrue();
    assertThat(store().putIfAbsent(key, second, ImageWriter.PNG)).isFalse();

    assertThat(readAll(store().open(key))).isEqualTo(first);
  }

  @Test
  void concurrentWritersLeaveOneWholeObject() throws Exception {
    String key = StorageKeys.image(UUID.randomUUID(), 0);
    int writers = 6;
    List<byte[]> candidates = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      candidates.add(random(200_000 + i, 10 + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> created = new ArrayList<>();
      for (byte[] c : candidates) {
        created.add(
            pool.submit(
                () -> {
                  go.await();
                  return store().putIfAbsent(key, c, ImageWriter.PNG);
                }));
      }
      go.countDown();
      int winners = 0;
      for (Future<Boolean> f : created) {
        winners += f.get() ? 1 : 0;
      }
      byte[] stored = readAll(store().open(key));
      assertThat(candidates).as("the stored object is one writer's, whole").contains(stored);
      if (atomicCreate()) {
        assertThat(winners).isEqualTo(1);
      } else {
        assertThat(winners).isGreaterThanOrEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void readsRanges() throws Exception {
    byte[] bytes = random(100_000, 4);
    String key = StorageKeys.image(UUID.randomUUID(), 1);
    store().putIfAbsent(key, bytes, ImageWriter.PNG);

    assertThat(readAll(store().open(key, 0, 10))).isEqualTo(slice(bytes, 0, 10));
    assertThat(readAll(store().open(key, 50_000, 1234))).isEqualTo(slice(bytes, 50_000, 1234));
    assertThat(readAll(store().open(key, 99_990, 10))).isEqualTo(slice(bytes, 99_990, 10));
  }

  @Test
  void aMissingObjectHasNoSizeAndCannotBeOpened() {
    String key = StorageKeys.image(UUID.randomUUID(), 0);
    assertThat(store().size(key)).isEmpty();
    assertThatThrownBy(() -> store().open(key)).isInstanceOf(ObjectNotFoundException.class);
  }

  @Test
  void deletesOnlyWhatIsThere() {
    UUID job = UUID.randomUUID();
    String key = StorageKeys.image(job, 0);
    String sibling = StorageKeys.image(job, 1);
    store().putIfAbsent(key, random(100, 5), ImageWriter.PNG);
    store().putIfAbsent(sibling, random(100, 6), ImageWriter.PNG);

    assertThat(store().delete(key)).isTrue();
    assertThat(store().delete(key)).isFalse();

    assertThat(store().size(key)).isEmpty();
    assertThat(store().size(sibling)).isPresent();
  }

  @Test
  void theImageWriterStoresALosslessPngWithItsChecksumAndThumbnails() throws Exception {
    UUID job = UUID.randomUUID();
    BufferedImage image = noisyGradient(1024, 576, 7);

    StoredImage s = new ImageWriter(store()).write(job, 2, image);

    assertThat(s.key()).isEqualTo(StorageKeys.image(job, 2));
    assertThat(s.created()).isTrue();
    byte[] png = readAll(store().open(s.key()));
    assertThat(png.length).isEqualTo(s.bytes());
    assertThat(ImageWriter.sha256Hex(png)).isEqualTo(s.sha256());
    assertThat(ImageWriter.crc32(png)).isEqualTo(s.crc32());
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
    for (int y = 0; y < image.getHeight(); y += 7) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        assertThat(back.getRGB(x, y) & 0xFFFFFF)
            .as("pixel %d,%d", x, y)
            .isEqualTo(image.getRGB(x, y) & 0xFFFFFF);
      }
    }
    assertThat(s.thumbnails()).containsExactly(128, 256, 512);
    for (int size : s.thumbnails()) {
      BufferedImage t = ImageIO.read(store().open(StorageKeys.thumbnail(job, 2, size)));
      assertThat(t.getWidth()).as("thumbnail %d keeps the longer side", size).isEqualTo(size);
      assertThat(t.getHeight())
          .as("and the aspect ratio")
          .isEqualTo(Math.round(576f * size / 1024));
    }
  }

  @Test
  void aSecondAttemptKeepsTheFirstImageAndReportsItsChecksum() throws Exception {
    UUID job = UUID.randomUUID();
    ImageWriter writer = new ImageWriter(store());
    StoredImage first = writer.write(job, 0, noisyGradient(256, 256, 8));

    StoredImage second = writer.write(job, 0, noisyGradient(256, 256, 9));

    assertThat(second.created()).isFalse();
    assertThat(second.sha256()).isEqualTo(first.sha256());
    assertThat(second.bytes()).isEqualTo(first.bytes());
    assertThat(second.crc32()).isEqualTo(first.crc32());
    assertThat(ImageWriter.sha256Hex(readAll(store().open(first.key())))).isEqualTo(first.sha256());
  }

  @Test
  void smallImagesGetThumbnailsNoLargerThanThemselves() throws Exception {
    UUID job = UUID.randomUUID();
    new ImageWriter(store()).write(job, 0, noisyGradient(200, 100, 1));
    BufferedImage t512 = ImageIO.read(store().open(StorageKeys.thumbnail(job, 0, 512)));
    BufferedImage t128 = ImageIO.read(store().open(StorageKeys.thumbnail(job, 0, 128)));
    assertThat(t512.getWidth()).isEqualTo(200);
    assertThat(t128.getWidth()).isEqualTo(128);
    assertThat(t128.getHeight()).isEqualTo(64);
  }

  static byte[] readAll(InputStream in) throws Exception {
    try (in) {
      return in.readAllBytes();
    }
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  static byte[] slice(byte[] b, int from, int n) {
    return java.util.Arrays.copyOfRange(b, from, from + n);
  }

  static BufferedImage noisyGradient(int w, int h, long seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    SplittableRandom r = new SplittableRandom(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = (x * 255 / w) ^ r.nextInt(8);
        img.setRGB(x, y, (v << 16) | ((y * 255 / h) << 8) | r.nextInt(256));
      }
    }
    return img;
  }
}
