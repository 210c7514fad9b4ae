package dev.turbofarm.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A small CNN that reads object, colour and background from a picture (the central square,
 * area-resized to 64 x 64). It measures prompt following in evaluation and is the quality score of
 * every rendered image.
 */
public final class AttributeScorer {
  /** Input side in pixels. */
  public static final int INPUT = 64;

  static final int[] WIDTHS = {32, 64, 96, 128};

  /** Width of each head of the logits: object kinds, colours, backgrounds. */
  public static final int OBJECTS = ObjectKind.values().length;

  public static final int COLORS = ColorName.values().length;
  public static final int BACKDROPS = Backdrop.values().length;

  private final Params p;

  /** What the scorer read from one image, with the probability of every class. */
  public record Reading(float[] object, float[] color, float[] backdrop) {
    public ObjectKind bestObject() {
      return ObjectKind.values()[argmax(object)];
    }

    public ColorName bestColor() {
      return ColorName.values()[argmax(color)];
    }

    public Backdrop bestBackdrop() {
      return Backdrop.values()[argmax(backdrop)];
    }

    /**
     * How well the image matches the prompt: the mean probability of the attributes the prompt
     * names, 0..1; null when it names none.
     */
    public Double match(PromptAttributes wanted) {
      double sum = 0;
      int n = 0;
      if (wanted.object() != null) {
        sum += object[wanted.object().ordinal()];
        n++;
      }
      if (wanted.color() != null) {
        sum += color[wanted.color().ordinal()];
        n++;
      }
      if (wanted.backdrop() != null) {
        sum += backdrop[wanted.backdrop().ordinal()];
        n++;
      }
      return n == 0 ? null : sum / n;
    }

    private static int argmax(float[] a) {
      int best = 0;
      for (int i = 1; i < a.length; i++) {
        if (a[i] > a[best]) {
          best = i;
        }
      }
      return best;
    }
  }

  public AttributeScorer(Params params) {
    this.p = params;
    int in = 3;
    for (int i = 0; i < WIDTHS.length; i++) {
      Nn.declareConv(p, "cls.c" + i, WIDTHS[i], in, 3, 1.0);
      Nn.declareNorm(p, "cls.n" + i, WIDTHS[i]);
      in = WIDTHS[i];
    }
    Nn.declareLinear(p, "cls.head", OBJECTS + COLORS + BACKDROPS, in, 1.0);
  }

  /** The scorer's input for one image: central square, 64 x 64. */
  public static BufferedImage prepare(BufferedImage img) {
    BufferedImage sq = Images.centreSquare(img);
    if (sq.getWidth() == INPUT) {
      return sq;
    }
    return Images.areaResize(sq, INPUT, INPUT);
  }

  /** Logits [B, OBJECTS + COLORS + BACKDROPS] of prepared images [B, 3, 64, 64] in [0, 1]. */
  public NDArray logits(NDArray x) {
    NDArray h = x.mul(2f).sub(1f);
    for (int i = 0; i < WIDTHS.length; i++) {
      h = Nn.silu(Nn.groupNorm(p, "cls.n" + i, Nn.conv(p, "cls.c" + i, h, 2)));
    }
    return Nn.linear(p, "cls.head", Nn.spatialMean(h));
  }

  /** Reads a batch of images of any size. */
  public List<Reading> read(NDManager parent, List<BufferedImage> images) {
    List<BufferedImage> prepared = new ArrayList<>(images.size());
    for (BufferedImage img : images) {
      prepared.add(prepare(img));
    }
    try (NDManager m = parent.newSubManager()) {
      NDArray logits = logits(Images.toArray(m, prepared));
      float[] obj = logits.get(":, 0:" + OBJECTS).softmax(1).toFloatArray();
      float[] col =
          logits.get(":, " + OBJECTS + ":" + (OBJECTS + COLORS)).softmax(1).toFloatArray();
      float[] bg = logits.get(":, " + (OBJECTS + COLORS) + ":").softmax(1).toFloatArray();
      List<Reading> out = new ArrayList<>(images.size());
      for (int i = 0; i < images.size(); i++) {
        out.add(
            new Reading(slice(obj, i, OBJECTS), slice(col, i, COLORS), slice(bg, i, BACKDROPS)));
      }
      return out;
    }
  }

  private static float[] slice(float[] a, int row, int width) {
    float[] out = new float[width];
    System.arraycopy(a, row * width, out, 0, width);
    return out;
  }
}
