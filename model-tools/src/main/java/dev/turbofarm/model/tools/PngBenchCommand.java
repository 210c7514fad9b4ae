package dev.turbofarm.model.tools;

import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.tiny.BundledPipeline;
import dev.turbofarm.worker.store.ResultStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The worker's store step side by side: {@code ImageIO.write(image, "png", file)} with ImageIO's
 * defaults (what the worker did before) against {@link ResultStore#write} ({@code PngEncoder}: one
 * filter, zlib level 1, encoded in memory, one write), on real renders of the bundled model,
 * alternating, after a warm-up.
 */
@Command(
    name = "png",
    mixinStandardHelpOptions = true,
    description = "Time storing a rendered PNG: ImageIO defaults vs the worker's ResultStore.")
public final class PngBenchCommand implements Callable<Integer> {
  @Option(
      names = "--repeats",
      defaultValue = "40",
      description = "Timed writes per size and method.")
  int repeats;

  @Option(
      names = "--warmup",
      defaultValue = "15",
      description = "Untimed writes per size and method first.")
  int warmup;

  @Override
  public Integer call() throws IOException {
    Path dir = Files.createTempDirectory("turbofarm-png-bench");
    ResultStore store = new ResultStore(dir.resolve("store"));
    try (BundledPipeline p = BundledPipeline.loadDefault()) {
      System.out.printf(
          Locale.ROOT,
          "model %s, %d cores, %d timed writes per row after %d warm-up writes%n",
          p.modelId(),
          Runtime.getRuntime().availableProcessors(),
          repeats,
          warmup);
      System.out.println("| size | method | ms min | ms median | file KB |");
      System.out.println("| --- | --- | --- | --- | --- |");
      for (int[] size : new int[][] {{512, 512}, {1024, 1024}}) {
        BufferedImage img =
            p.render(
                    List.of(
                        new RenderRequest(
                            "a blue sneaker on a wooden table, studio photo",
                            "",
                            size[0],
                            size[1],
                            10,
                            6.0,
                            7)))
                .get(0)
                .image();
        long[] old = new long[repeats];
        long[] now = new long[repeats];
        long oldBytes = 0;
        long newBytes = 0;
        for (int i = -warmup; i < repeats; i++) {
          Path f = dir.resolve("old-" + Math.floorMod(i, 4) + ".png");
          long t0 = System.nanoTime();
          ImageIO.write(img, "png", f.toFile());
          long t1 = System.nanoTime();
          Path g = store.write(UUID.nameUUIDFromBytes(new byte[] {(byte) i}), 0, img);
          long t2 = System.nanoTime();
          if (i >= 0) {
            old[i] = t1 - t0;
            now[i] = t2 - t1;
            oldBytes = Files.size(f);
            newBytes = Files.size(g);
          }
        }
        row(size, "ImageIO.write(file), defaults (before)", old, oldBytes);
        row(size, "ResultStore.write: PngEncoder, Up filter, zlib level 1 (now)", now, newBytes);
      }
    }
    return 0;
  }

  private static void row(int[] size, String method, long[] ns, long bytes) {
    long[] s = ns.clone();
    Arrays.sort(s);
    System.out.printf(
        Locale.ROOT,
        "| %dx%d | %s | %.1f | %.1f | %d |%n",
        size[0],
        size[1],
        method,
        s[0] / 1e6,
        s[s.length / 2] / 1e6,
        bytes / 1024);
  }
}
