package dev.turbofarm.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;

/** Conversions between BufferedImage and NDArray, area resampling and the sharpness figure. */
public final class Images {
  private Images() {}

  /** Planar RGB in [0, 1], [3 * h * w]. */
  public static float[] toPlanar(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] px = img.getRGB(0, 0, w, h, null, 0, w);
    float[] out = new float[3 * w * h];
    int plane = w * h;
    for (int i = 0; i < plane; i++) {
      int p = px[i];
      out[i] = ((p >> 16) & 0xFF) / 255f;
      out[plane + i] = ((p >> 8) & 0xFF) / 255f;
      out[2 * plane + i] = (p & 0xFF) / 255f;
    }
    return out;
  }

  /** A batch [B, 3, h, w] of same-sized images. */
  public static NDArray toArray(NDManager manager, List<BufferedImage> images) {
    BufferedImage first = images.get(0);
    int w = first.getWidth();
    int h = first.getHeight();
    int plane = 3 * w * h;
    float[] all = new float[images.size() * plane];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(toPlanar(images.get(i)), 0, all, i * plane, plane);
    }
    return manager.create(all, new Shape(images.size(), 3, h, w));
  }

  /** An 8-bit RGB image from planar floats in [0, 1] (rounded to the nearest level). */
  public static BufferedImage fromPlanar(float[] data, int width, int height) {
    int plane = width * height;
    int[] px = new int[plane];
    for (int i = 0; i < plane; i++) {
      px[i] = level(data[i]) << 16 | level(data[plane + i]) << 8 | level(data[2 * plane + i]);
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, width, height, px, 0, width);
    return img;
  }

  private static int level(float v) {
    return Math.max(0, Math.min(255, Math.round(v * 255f)));
  }

  /**
   * Area-averaging resize (each output pixel is the mean of the input area it covers): no aliasing
   * when shrinking, unlike bilinear.
   */
  public static BufferedImage areaResize(BufferedImage src, int width, int height) {
    int sw = src.getWidth();
    int sh = src.getHeight();
    float[] in = toPlanar(src);
    float[] tmp = new float[3 * sh * width];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < sh; y++) {
        resample1d(in, c * sh * sw + y * sw, 1, sw, tmp, c * sh * width + y * width, 1, width);
      }
    }
    float[] out = new float[3 * height * width];
    for (int c = 0; c < 3; c++) {
      for (int x = 0; x < width; x++) {
        resample1d(tmp, c * sh * width + x, width, sh, out, c * height * width + x, width, height);
      }
    }
    return fromPlanar(out, width, height);
  }

  private static void resample1d(
      float[] in, int inOff, int inStride, int n, float[] out, int outOff, int outStride, int m) {
    double scale = (double) n / m;
    for (int i = 0; i < m; i++) {
      double a = i * scale;
      double b = (i + 1) * scale;
      double sum = 0;
      int j0 = (int) Math.floor(a);
      int j1 = Math.min(n - 1, (int) Math.ceil(b) - 1);
      for (int j = j0; j <= j1; j++) {
        double cover = Math.min(b, j + 1) - Math.max(a, j);
        sum += cover * in[inOff + j * inStride];
      }
      out[outOff + i * outStride] = (float) (sum / (b - a));
    }
  }

  /** The central square of an image (the whole image when already square). */
  public static BufferedImage centreSquare(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int s = Math.min(w, h);
    return img.getSubimage((w - s) / 2, (h - s) / 2, s, s);
  }

  /**
   * No-reference sharpness: variance of the 4-neighbour Laplacian of luma (BT.601, 0..255 levels).
   * Higher is sharper; a flat image scores 0.
   */
  public static double laplacianVariance(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] px = img.getRGB(0, 0, w, h, null, 0, w);
    double[] luma = new double[w * h];
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      luma[i] = 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
    }
    double sum = 0;
    double sumSq = 0;
    long n = 0;
    for (int y = 1; y < h - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        int i = y * w + x;
        double lap = luma[i - 1] + luma[i + 1] + luma[i - w] + luma[i + w] - 4 * luma[i];
        sum += lap;
        sumSq += lap * lap;
        n++;
      }
    }
    if (n == 0) {
      return 0;
    }
    double mean = sum / n;
    return sumSq / n - mean * mean;
  }
}
