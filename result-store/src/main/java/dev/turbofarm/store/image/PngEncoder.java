package dev.turbofarm.store.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Lossless 8-bit RGB PNG, encoded in memory: the "Up" filter on every row and zlib level 1.
 *
 * <p>Written here rather than using ImageIO's PNG writer because that writer tries all five filters
 * on every row and offers no way to choose: on a 512x512 render of the bundled model it took 17 ms
 * (median) and 262 KB where this takes 9 ms and 174 KB (1024x1024: 46 ms against 25 ms; {@code
 * model-tools/model.sh png}, docs/benchmarks.md "PNG encoding"). No PNG library is available
 * offline on the build machines. Every reader decodes the result; the tests read it back with
 * ImageIO pixel for pixel.
 */
public final class PngEncoder {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** PNG filter type 2: each byte minus the byte above it. */
  private static final byte FILTER_UP = 2;

  private PngEncoder() {}

  public static byte[] encode(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = new int[w];
    byte[] above = new byte[w * 3];
    byte[] row = new byte[w * 3];
    byte[] filtered = new byte[1 + w * 3];
    filtered[0] = FILTER_UP;
    ByteArrayOutputStream idat = new ByteArrayOutputStream(w * h);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
      for (int y = 0; y < h; y++) {
        image.getRGB(0, y, w, 1, argb, 0, w);
        for (int x = 0, o = 0; x < w; x++) {
          int p = argb[x];
          row[o++] = (byte) (p >> 16);
          row[o++] = (byte) (p >> 8);
          row[o++] = (byte) p;
        }
        for (int i = 0; i < row.length; i++) {
          filtered[i + 1] = (byte) (row[i] - above[i]);
        }
        z.write(filtered);
        byte[] t = above;
        above = row;
        row = t;
      }
    } catch (IOException e) {
      throw new IllegalStateException("in-memory deflate failed", e);
    } finally {
      deflater.end();
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
      DataOutputStream o = new DataOutputStream(out);
      o.write(SIGNATURE);
      ByteArrayOutputStream header = new ByteArrayOutputStream(13);
      DataOutputStream ih = new DataOutputStream(header);
      ih.writeInt(w);
      ih.writeInt(h);
      // 8 bits per channel, colour type 2 (RGB), deflate, adaptive filtering, no interlace
      ih.write(new byte[] {8, 2, 0, 0, 0});
      chunk(o, "IHDR", header.toByteArray());
      chunk(o, "IDAT", idat.toByteArray());
      chunk(o, "IEND", new byte[0]);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
  }

  private static void chunk(DataOutputStream o, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    o.writeInt(data.length);
    o.write(t);
    o.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    o.writeInt((int) crc.getValue());
  }
}
