package dev.turbofarm.model.tools;

import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.tiny.BundledPipeline;
import dev.turbofarm.store.StorageKeys;
import dev.turbofarm.store.filesystem.FilesystemStore;
import dev.turbofarm.store.image.ImageWriter;
import dev.turbofarm.store.image.PngEncoder;
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
 * defaults (what the worker did before) against the worker's store step: {@link PngEncoder} (one
 * filter, zlib level 1, encoded in memory) written once into the filesystem result store, and the
 * whole {@link ImageWriter#write} (the same PNG plus its SHA-256 and three JPEG thumbnails), on
 * real renders of the bundled model, alternating, after a warm-up.
 */
@Command(
    name = "png",
    mixinStandardHelpOptions = true,
    description = "Time storing a rendered PNG: ImageIO defaults vs the worker's result store.")
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
    FilesystemStore store = new FilesystemStore(dir.resolve("store"));
    ImageWriter writer = new ImageWriter(store);
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
        long[] whole = new long[repeats];
        long oldBytes = 0;
        long newBytes = 0;
        long thumbBytes = 0;
        for (int i = -warmup; i < repeats; i++) {
          Path f = dir.resolve("old-" + Math.floorMod(i, 4) + ".png");
          long t0 = System.nanoTime();
          ImageIO.write(img, "png", f.toFile());
          long t1 = System.nanoTime();
          // A fresh key each time: the store keeps the first write of a key.
          String key = StorageKeys.image(UUID.randomUUID(), 0);
          store.putIfAbsent(key, PngEncoder.encode(img), ImageWriter.PNG);
          long t2 = System.nanoTime();
          UUID job = UUID.randomUUID();
          writer.write(job, 0, img);
          long t3 = System.nanoTime();
          if (i >= 0) {
            old[i] = t1 - t0;
            now[i] = t2 - t1;
            whole[i] = t3 - t2;
            oldBytes = Files.size(f);
            newBytes = Files.size(store.pathOf(key));
            thumbBytes = 0;
            for (int t : StorageKeys.THUMBNAIL_SIZES) {
              thumbBytes += Files.size(store.pathOf(StorageKeys.thumbnail(job, 0, t)));
            }
          }
        }
        row(size, "ImageIO.write(file), defaults (before)", old, oldBytes);
        row(
            size,
            "PngEncoder, Up filter, zlib level 1, stored once (the PNG alone)",
            now,
            newBytes);
        row(
            size,
            "ImageWriter.write: that PNG + SHA-256 + CRC-32 + JPEG thumbnails 512/256/128 (the"
                + " worker's store step now; KB = PNG + thumbnails)",
            whole,
            newBytes + thumbBytes);
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
