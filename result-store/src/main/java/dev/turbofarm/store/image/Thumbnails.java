package dev.turbofarm.store.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG thumbnails of a rendered image, made once by the worker when it stores the image (never by
 * resizing on request). The longer side becomes the thumbnail size (never enlarged), the aspect
 * ratio stays. Scaled down by halves with bilinear filtering, so a 2048-px render reaches 128 px
 * without the aliasing of one big step, each step from the last.
 */
public final class Thumbnails {
  /** JPEG quality, 0..1: small files without visible blocks at these sizes. */
  static final float JPEG_QUALITY = 0.85f;

  private Thumbnails() {}

  /** The image scaled so that its longer side is at most {@code size} px. */
  public static BufferedImage scale(BufferedImage image, int size) {
    int w = image.getWidth();
    int h = image.getHeight();
    int longer = Math.max(w, h);
    if (longer <= size) {
      return copyRgb(image, w, h);
    }
    int targetW = Math.max(1, (int) Math.round((double) w * size / longer));
    int targetH = Math.max(1, (int) Math.round((double) h * size / longer));
    BufferedImage current = image;
    int cw = w;
    int ch = h;
    while (cw / 2 >= targetW && ch / 2 >= targetH) {
      cw /= 2;
      ch /= 2;
      current = resize(current, cw, ch);
    }
    return cw == targetW && ch == targetH ? current : resize(current, targetW, targetH);
  }

  /** JPEG bytes of an RGB image. */
  public static byte[] jpeg(BufferedImage image) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(image, null, null), p);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory JPEG encoding failed", e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static BufferedImage resize(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static BufferedImage copyRgb(BufferedImage src, int w, int h) {
    if (src.getType() == BufferedImage.TYPE_INT_RGB) {
      return src;
    }
    return resize(src, w, h);
  }
}
