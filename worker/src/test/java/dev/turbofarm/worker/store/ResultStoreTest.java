package dev.turbofarm.worker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {
  @TempDir Path root;

  @Test
  void fastDeflateStillWritesALosslessPngAtTheJobsPath() throws Exception {
    BufferedImage image = noisyGradient(320, 192);
    UUID job = UUID.fromString("ab3c0a1e-0000-4000-8000-000000000001");

    Path written = new ResultStore(root).write(job, 2, image);

    assertThat(written).isEqualTo(root.resolve("ab").resolve(job.toString()).resolve("2.png"));
    BufferedImage back = ImageIO.read(written.toFile());
    assertThat(back.getWidth()).isEqualTo(320);
    assertThat(back.getHeight()).isEqualTo(192);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        assertThat(back.getRGB(x, y) & 0xFFFFFF)
            .as("pixel %d,%d", x, y)
            .isEqualTo(image.getRGB(x, y) & 0xFFFFFF);
      }
    }
    // no temporary file left next to it
    try (var files = Files.list(written.getParent())) {
      assertThat(files).containsExactly(written);
    }
  }

  @Test
  void aRedeliveredJobOverwritesItsOwnFile() throws Exception {
    ResultStore store = new ResultStore(root);
    UUID job = UUID.randomUUID();
    store.write(job, 0, noisyGradient(64, 64));
    BufferedImage second = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);

    Path p = store.write(job, 0, second);

    assertThat(ImageIO.read(p.toFile()).getRGB(10, 10) & 0xFFFFFF).isZero();
  }

  private static BufferedImage noisyGradient(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    SplittableRandom r = new SplittableRandom(3);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = (x * 255 / w) ^ r.nextInt(8);
        img.setRGB(x, y, (v << 16) | ((y * 255 / h) << 8) | r.nextInt(256));
      }
    }
    return img;
  }
}
