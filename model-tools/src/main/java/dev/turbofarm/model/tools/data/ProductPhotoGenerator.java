package dev.turbofarm.model.tools.data;

import dev.turbofarm.model.tiny.Backdrop;
import dev.turbofarm.model.tiny.ColorName;
import dev.turbofarm.model.tiny.ObjectKind;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Synthetic product photos: one product on one background, drawn with Java2D at {@link
 * #SUPERSAMPLE} times the target size and box-filtered down, so edges look like a photo's rather
 * than aliased vector art. Everything is a function of the seed.
 */
public final class ProductPhotoGenerator {
  /** Linear oversampling factor of the Java2D canvas. */
  public static final int SUPERSAMPLE = 3;

  /**
   * Colour-object pairs never drawn for training; the evaluation asks for them to measure whether
   * the model composes attributes it has only seen apart.
   */
  public static final List<Pair> HELD_OUT =
      List.of(
          new Pair(ColorName.RED, ObjectKind.LAMP),
          new Pair(ColorName.ORANGE, ObjectKind.MUG),
          new Pair(ColorName.YELLOW, ObjectKind.HANDBAG),
          new Pair(ColorName.GREEN, ObjectKind.SNEAKER),
          new Pair(ColorName.BLUE, ObjectKind.BOTTLE),
          new Pair(ColorName.PURPLE, ObjectKind.TSHIRT),
          new Pair(ColorName.PINK, ObjectKind.SNEAKER),
          new Pair(ColorName.BLACK, ObjectKind.HANDBAG),
          new Pair(ColorName.GREEN, ObjectKind.LAMP),
          new Pair(ColorName.RED, ObjectKind.TSHIRT));

  private static final Set<Pair> HELD_OUT_SET = Set.copyOf(HELD_OUT);

  /** A colour-object combination. */
  public record Pair(ColorName color, ObjectKind object) {}

  /** One training sample. */
  public record Sample(Scene scene, BufferedImage image) {}

  private ProductPhotoGenerator() {}

  /** True when training data may show this pair. */
  public static boolean isTrainingPair(ColorName color, ObjectKind object) {
    return !HELD_OUT_SET.contains(new Pair(color, object));
  }

  /** A random training scene (never a held-out pair), fully determined by {@code random}. */
  public static Scene randomTrainingScene(SplittableRandom random) {
    while (true) {
      ObjectKind object = ObjectKind.values()[random.nextInt(ObjectKind.values().length)];
      ColorName color = ColorName.values()[random.nextInt(ColorName.values().length)];
      Backdrop backdrop = Backdrop.values()[random.nextInt(Backdrop.values().length)];
      if (isTrainingPair(color, object)) {
        return Scene.random(random, object, color, backdrop);
      }
    }
  }

  /** {@code count} training samples at width x height from {@code seed}. */
  public static List<Sample> trainingSet(long seed, int count, int width, int height) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Sample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Scene scene = randomTrainingScene(random);
      out.add(new Sample(scene, render(scene, width, height)));
    }
    return out;
  }

  /** Renders a scene at exactly width x height (TYPE_INT_RGB). */
  public static BufferedImage render(Scene scene, int width, int height) {
    int sw = width * SUPERSAMPLE;
    int sh = height * SUPERSAMPLE;
    BufferedImage big = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = big.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      SplittableRandom random = new SplittableRandom(scene.variant());
      drawBackdrop(g, scene.backdrop(), sw, sh, random);
      double unit = scene.size() * Math.min(sw, sh);
      double cx = scene.cx() * sw;
      double cy = scene.cy() * sh;
      drawShadow(g, scene, cx, cy, unit);
      AffineTransform at = new AffineTransform();
      at.translate(cx, cy);
      at.rotate(scene.angle());
      at.scale(unit, unit);
      g.transform(at);
      Color base = scale(new Color(scene.color().rgb()), scene.brightness());
      drawObject(g, scene.object(), base, random);
    } finally {
      g.dispose();
    }
    return boxDownsample(big, SUPERSAMPLE);
  }

  private static void drawBackdrop(
      Graphics2D g, Backdrop backdrop, int w, int h, SplittableRandom random) {
    switch (backdrop) {
      case WHITE -> {
        g.setPaint(
            new GradientPaint(0, 0, new Color(250, 250, 250), 0, h, new Color(232, 232, 234)));
        g.fillRect(0, 0, w, h);
      }
      case GREY -> {
        g.setPaint(
            new GradientPaint(0, 0, new Color(170, 171, 174), 0, h, new Color(128, 129, 132)));
        g.fillRect(0, 0, w, h);
      }
      case WOOD -> {
        g.setPaint(new GradientPaint(0, 0, new Color(176, 124, 78), 0, h, new Color(140, 94, 56)));
        g.fillRect(0, 0, w, h);
        // grain: thin darker stripes that wander slowly across the board
        int lines = 18 + random.nextInt(8);
        for (int i = 0; i < lines; i++) {
          double y0 = random.nextDouble() * h;
          double amp = (0.005 + 0.01 * random.nextDouble()) * h;
          double freq = (1 + 2 * random.nextDouble()) * Math.PI / w;
          GeneralPath p = new GeneralPath();
          for (int x = 0; x <= w; x += Math.max(1, w / 64)) {
            double y = y0 + amp * Math.sin(freq * x + i);
            if (x == 0) {
              p.moveTo(x, y);
            } else {
              p.lineTo(x, y);
            }
          }
          g.setColor(new Color(105, 68, 38, 60 + random.nextInt(70)));
          g.setStroke(new BasicStroke((float) (h * (0.002 + 0.004 * random.nextDouble()))));
          g.draw(p);
        }
      }
      case OUTDOOR -> {
        double horizon = h * (0.5 + 0.15 * random.nextDouble());
        g.setPaint(
            new GradientPaint(
                0, 0, new Color(120, 175, 235), 0, (float) horizon, new Color(200, 226, 245)));
        g.fill(new Rectangle2D.Double(0, 0, w, horizon));
        // distant trees: dark green blobs on the horizon
        int trees = 5 + random.nextInt(5);
        for (int i = 0; i < trees; i++) {
          double r = h * (0.05 + 0.06 * random.nextDouble());
          double x = random.nextDouble() * w;
          g.setColor(new Color(40, 95 + random.nextInt(30), 45));
          g.fill(new Ellipse2D.Double(x - r, horizon - r * 1.2, 2 * r, 2 * r));
        }
        g.setPaint(
            new GradientPaint(
                0, (float) horizon, new Color(92, 150, 62), 0, h, new Color(60, 118, 40)));
        g.fill(new Rectangle2D.Double(0, horizon, w, h - horizon));
      }
    }
  }

  private static void drawShadow(Graphics2D g, Scene scene, double cx, double cy, double unit) {
    Color shadow = new Color(0, 0, 0, 40);
    g.setColor(shadow);
    double sw = unit * 0.75;
    double shh = unit * 0.12;
    for (int i = 0; i < 3; i++) {
      double k = 1.0 + 0.15 * i;
      g.fill(
          new Ellipse2D.Double(cx - sw * k / 2, cy + unit * 0.42 - shh * k / 2, sw * k, shh * k));
    }
  }

  private static void drawObject(Graphics2D g, ObjectKind kind, Color base, SplittableRandom r) {
    switch (kind) {
      case MUG -> drawMug(g, base, r);
      case SNEAKER -> drawSneaker(g, base, r);
      case TSHIRT -> drawShirt(g, base, r);
      case BOTTLE -> drawBottle(g, base, r);
      case HANDBAG -> drawHandbag(g, base, r);
      case LAMP -> drawLamp(g, base, r);
    }
  }

  /** Fills a shape with a left-lit gradient of {@code base}. */
  private static void shade(Graphics2D g, Shape s, Color base) {
    Rectangle2D b = s.getBounds2D();
    g.setPaint(
        new GradientPaint(
            (float) b.getMinX(),
            (float) b.getMinY(),
            scale(base, 1.18),
            (float) b.getMaxX(),
            (float) b.getMaxY(),
            scale(base, 0.72)));
    g.fill(s);
  }

  private static void drawMug(Graphics2D g, Color base, SplittableRandom r) {
    double w = 0.62 + 0.08 * r.nextDouble();
    double x0 = -w / 2 - 0.08;
    Shape handle = new Ellipse2D.Double(x0 + w - 0.12, -0.22, 0.36, 0.4);
    Area ring = new Area(handle);
    ring.subtract(new Area(new Ellipse2D.Double(x0 + w - 0.05, -0.14, 0.22, 0.24)));
    shade(g, ring, scale(base, 0.9));
    Shape body = new RoundRectangle2D.Double(x0, -0.4, w, 0.82, 0.12, 0.12);
    shade(g, body, base);
    g.setColor(scale(base, 0.45));
    g.fill(new Ellipse2D.Double(x0 + 0.02, -0.45, w - 0.04, 0.12));
    g.setColor(scale(base, 1.25));
    g.setStroke(new BasicStroke(0.02f));
    g.draw(new Ellipse2D.Double(x0 + 0.02, -0.45, w - 0.04, 0.12));
  }

  private static void drawSneaker(Graphics2D g, Color base, SplittableRandom r) {
    GeneralPath upper = new GeneralPath();
    upper.moveTo(-0.6, 0.2);
    upper.curveTo(-0.62, 0.02, -0.45, -0.02, -0.25, -0.08);
    upper.lineTo(0.12, -0.28);
    upper.curveTo(0.22, -0.34, 0.36, -0.36, 0.46, -0.3);
    upper.lineTo(0.56, -0.1);
    upper.lineTo(0.58, 0.2);
    upper.closePath();
    shade(g, upper, base);
    Shape sole = new RoundRectangle2D.Double(-0.64, 0.16, 1.26, 0.16, 0.12, 0.12);
    g.setColor(new Color(238, 238, 236));
    g.fill(sole);
    g.setColor(new Color(90, 90, 90));
    g.setStroke(new BasicStroke(0.012f));
    g.draw(sole);
    g.setColor(new Color(245, 245, 245));
    g.setStroke(new BasicStroke(0.025f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (int i = 0; i < 4; i++) {
      double x = -0.14 + i * 0.09;
      g.draw(new java.awt.geom.Line2D.Double(x, -0.12 - i * 0.05, x + 0.08, -0.05 - i * 0.05));
    }
    GeneralPath stripe = new GeneralPath();
    stripe.moveTo(-0.3, 0.1);
    stripe.curveTo(-0.05, 0.05, 0.2, -0.05, 0.42, -0.16);
    g.setColor(scale(base, 0.55));
    g.setStroke(
        new BasicStroke(
            0.04f + 0.02f * (float) r.nextDouble(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(stripe);
  }

  private static void drawShirt(Graphics2D g, Color base, SplittableRandom r) {
    GeneralPath p = new GeneralPath();
    p.moveTo(-0.14, -0.45);
    p.curveTo(-0.08, -0.36, 0.08, -0.36, 0.14, -0.45);
    p.lineTo(0.34, -0.38);
    p.lineTo(0.56, -0.14);
    p.lineTo(0.42, -0.02);
    p.lineTo(0.3, -0.12);
    p.lineTo(0.3, 0.45);
    p.lineTo(-0.3, 0.45);
    p.lineTo(-0.3, -0.12);
    p.lineTo(-0.42, -0.02);
    p.lineTo(-0.56, -0.14);
    p.lineTo(-0.34, -0.38);
    p.closePath();
    shade(g, p, base);
    g.setColor(scale(base, 0.6));
    g.setStroke(new BasicStroke(0.022f));
    g.draw(new Arc2D.Double(-0.14, -0.53, 0.28, 0.2, 200, 140, Arc2D.OPEN));
    g.setStroke(new BasicStroke(0.01f));
    g.draw(new java.awt.geom.Line2D.Double(-0.3, -0.12, -0.26, -0.2));
    g.draw(new java.awt.geom.Line2D.Double(0.3, -0.12, 0.26, -0.2));
  }

  private static void drawBottle(Graphics2D g, Color base, SplittableRandom r) {
    double w = 0.32 + 0.06 * r.nextDouble();
    GeneralPath p = new GeneralPath();
    p.moveTo(-w / 2, 0.46);
    p.lineTo(-w / 2, -0.08);
    p.curveTo(-w / 2, -0.2, -0.08, -0.22, -0.07, -0.3);
    p.lineTo(-0.07, -0.4);
    p.lineTo(0.07, -0.4);
    p.lineTo(0.07, -0.3);
    p.curveTo(0.08, -0.22, w / 2, -0.2, w / 2, -0.08);
    p.lineTo(w / 2, 0.46);
    p.closePath();
    shade(g, p, base);
    g.setColor(new Color(40, 40, 44));
    g.fill(new RoundRectangle2D.Double(-0.085, -0.5, 0.17, 0.12, 0.03, 0.03));
    g.setColor(new Color(245, 243, 236));
    g.fill(new Rectangle2D.Double(-w / 2, 0.04, w, 0.2));
    g.setColor(scale(base, 0.7));
    g.fill(new Rectangle2D.Double(-w / 2 + 0.05, 0.1, w - 0.1, 0.03));
    g.setColor(new Color(255, 255, 255, 90));
    g.fill(new RoundRectangle2D.Double(-w / 2 + 0.04, -0.05, 0.04, 0.45, 0.04, 0.04));
  }

  private static void drawHandbag(Graphics2D g, Color base, SplittableRandom r) {
    Area strap = new Area(new Ellipse2D.Double(-0.26, -0.5, 0.52, 0.5));
    strap.subtract(new Area(new Ellipse2D.Double(-0.2, -0.44, 0.4, 0.44)));
    strap.subtract(new Area(new Rectangle2D.Double(-0.5, -0.2, 1.0, 0.5)));
    shade(g, strap, scale(base, 0.7));
    GeneralPath body = new GeneralPath();
    body.moveTo(-0.36, -0.2);
    body.lineTo(0.36, -0.2);
    body.lineTo(0.48, 0.38);
    body.quadTo(0.48, 0.44, 0.42, 0.44);
    body.lineTo(-0.42, 0.44);
    body.quadTo(-0.48, 0.44, -0.48, 0.38);
    body.closePath();
    shade(g, body, base);
    GeneralPath flap = new GeneralPath();
    flap.moveTo(-0.37, -0.2);
    flap.lineTo(0.37, -0.2);
    flap.lineTo(0.4, 0.02);
    flap.quadTo(0.0, 0.12, -0.4, 0.02);
    flap.closePath();
    g.setColor(scale(base, 0.8));
    g.fill(flap);
    g.setColor(new Color(214, 180, 90));
    g.fill(new RoundRectangle2D.Double(-0.05, 0.02, 0.1, 0.07, 0.02, 0.02));
  }

  private static void drawLamp(Graphics2D g, Color base, SplittableRandom r) {
    g.setColor(new Color(70, 70, 74));
    g.fill(new Rectangle2D.Double(-0.025, -0.1, 0.05, 0.48));
    shade(g, new Ellipse2D.Double(-0.26, 0.36, 0.52, 0.12), scale(base, 0.75));
    GeneralPath shadeShape = new GeneralPath();
    double top = 0.14 + 0.04 * r.nextDouble();
    shadeShape.moveTo(-top, -0.5);
    shadeShape.lineTo(top, -0.5);
    shadeShape.lineTo(0.38, -0.06);
    shadeShape.lineTo(-0.38, -0.06);
    shadeShape.closePath();
    shade(g, shadeShape, base);
    g.setColor(new Color(255, 240, 190, 150));
    g.fill(new Ellipse2D.Double(-0.36, -0.1, 0.72, 0.08));
  }

  /** Multiplies RGB by {@code factor}, clamped. */
  static Color scale(Color c, double factor) {
    return new Color(
        clamp((int) Math.round(c.getRed() * factor)),
        clamp((int) Math.round(c.getGreen() * factor)),
        clamp((int) Math.round(c.getBlue() * factor)));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** Averages {@code factor} x {@code factor} blocks: the anti-aliasing step of supersampling. */
  static BufferedImage boxDownsample(BufferedImage big, int factor) {
    int w = big.getWidth() / factor;
    int h = big.getHeight() / factor;
    int[] src = big.getRGB(0, 0, big.getWidth(), big.getHeight(), null, 0, big.getWidth());
    int[] dst = new int[w * h];
    int n = factor * factor;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rs = 0;
        int gs = 0;
        int bs = 0;
        for (int dy = 0; dy < factor; dy++) {
          int row = (y * factor + dy) * big.getWidth() + x * factor;
          for (int dx = 0; dx < factor; dx++) {
            int p = src[row + dx];
            rs += (p >> 16) & 0xFF;
            gs += (p >> 8) & 0xFF;
            bs += p & 0xFF;
          }
        }
        dst[y * w + x] = ((rs + n / 2) / n) << 16 | ((gs + n / 2) / n) << 8 | ((bs + n / 2) / n);
      }
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, w, h, dst, 0, w);
    return out;
  }
}
