package dev.turbofarm.model.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.turbofarm.model.tiny.Images;
import dev.turbofarm.model.tools.data.ProductPhotoGenerator;
import dev.turbofarm.model.tools.data.Scene;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A rendered training set of one size: scenes and their pixels (8-bit planar, to keep thousands of
 * images in little memory). Sample i depends only on (seed, i), so the set is the same however many
 * threads render it.
 */
final class TrainingData {
  final int width;
  final int height;
  final Scene[] scenes;
  final byte[][] pixels;

  private TrainingData(int width, int height, Scene[] scenes, byte[][] pixels) {
    this.width = width;
    this.height = height;
    this.scenes = scenes;
    this.pixels = pixels;
  }

  static TrainingData render(long seed, int count, int width, int height) {
    Scene[] scenes = new Scene[count];
    byte[][] pixels = new byte[count][];
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
              Scene s = ProductPhotoGenerator.randomTrainingScene(r);
              scenes[i] = s;
              pixels[i] = toBytes(ProductPhotoGenerator.render(s, width, height));
            });
    return new TrainingData(width, height, scenes, pixels);
  }

  int size() {
    return scenes.length;
  }

  static byte[] toBytes(BufferedImage img) {
    float[] f = Images.toPlanar(img);
    byte[] b = new byte[f.length];
    for (int i = 0; i < f.length; i++) {
      b[i] = (byte) Math.round(f[i] * 255f);
    }
    return b;
  }

  /** Images [B, 3, h, w] in [0, 1]. */
  NDArray batch(NDManager m, int[] indices) {
    int plane = 3 * width * height;
    float[] out = new float[indices.length * plane];
    for (int k = 0; k < indices.length; k++) {
      byte[] src = pixels[indices[k]];
      for (int j = 0; j < plane; j++) {
        out[k * plane + j] = (src[j] & 0xFF) / 255f;
      }
    }
    return m.create(out, new Shape(indices.length, 3, height, width));
  }

  /** Random crops [B, 3, size, size] at offsets that are multiples of 8 px (latent cells). */
  NDArray crops(NDManager m, SplittableRandom r, int count, int size) {
    int plane = width * height;
    float[] out = new float[count * 3 * size * size];
    for (int k = 0; k < count; k++) {
      byte[] src = pixels[r.nextInt(size())];
      int ox = 8 * r.nextInt((width - size) / 8 + 1);
      int oy = 8 * r.nextInt((height - size) / 8 + 1);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < size; y++) {
          int so = c * plane + (oy + y) * width + ox;
          int d = ((k * 3 + c) * size + y) * size;
          for (int x = 0; x < size; x++) {
            out[d + x] = (src[so + x] & 0xFF) / 255f;
          }
        }
      }
    }
    return m.create(out, new Shape(count, 3, size, size));
  }

  /** The image at {@code i}. */
  BufferedImage image(int i) {
    byte[] b = pixels[i];
    float[] f = new float[b.length];
    for (int j = 0; j < b.length; j++) {
      f[j] = (b[j] & 0xFF) / 255f;
    }
    return Images.fromPlanar(f, width, height);
  }
}
