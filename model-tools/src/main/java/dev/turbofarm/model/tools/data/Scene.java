package dev.turbofarm.model.tools.data;

import dev.turbofarm.model.tiny.Backdrop;
import dev.turbofarm.model.tiny.ColorName;
import dev.turbofarm.model.tiny.ObjectKind;
import java.util.SplittableRandom;

/**
 * One synthetic product photo: what is shown and where. All geometry is relative to the canvas
 * (centre and size as fractions of the shorter side), so one scene renders at any size.
 *
 * @param object product kind
 * @param color product colour
 * @param backdrop background
 * @param cx centre x as a fraction of the width
 * @param cy centre y as a fraction of the height
 * @param size object height as a fraction of the shorter side
 * @param angle rotation in radians
 * @param brightness colour brightness factor around 1
 * @param variant small shape and texture variations, any int
 * @param template caption template index
 */
public record Scene(
    ObjectKind object,
    ColorName color,
    Backdrop backdrop,
    double cx,
    double cy,
    double size,
    double angle,
    double brightness,
    int variant,
    int template) {

  /** Number of caption templates. */
  public static final int TEMPLATES = Captions.TEMPLATES;

  /** A random layout for the given attributes. */
  public static Scene random(
      SplittableRandom random, ObjectKind object, ColorName color, Backdrop backdrop) {
    double size = 0.45 + 0.3 * random.nextDouble();
    // keep the object inside the frame: the centre moves at most as far as the margin allows
    double margin = Math.max(0.0, 0.5 - 0.55 * size);
    double cx = 0.5 + (random.nextDouble() * 2 - 1) * Math.min(0.15, margin);
    double cy = 0.5 + (random.nextDouble() * 2 - 1) * Math.min(0.12, margin);
    double angle = Math.toRadians((random.nextDouble() * 2 - 1) * 18);
    double brightness = 0.9 + 0.2 * random.nextDouble();
    return new Scene(
        object,
        color,
        backdrop,
        cx,
        cy,
        size,
        angle,
        brightness,
        random.nextInt(1 << 20),
        random.nextInt(TEMPLATES));
  }

  /** The English caption of this scene, built from its attributes. */
  public String caption() {
    return caption(CaptionLanguage.ENGLISH);
  }

  /** The caption of this scene in one language (mixed: some words in the other language). */
  public String caption(CaptionLanguage language) {
    return Captions.of(this, language);
  }

  /**
   * A training caption in a language drawn from {@code mix} (shares of English, Chinese, mixed): a
   * random template, and now and then an attribute left out so that each word is learnt on its own
   * (short prompts like "a blue bottle" then work too), synonyms and style phrases now and then.
   */
  public String randomCaption(SplittableRandom random, double[] mix) {
    return Captions.random(this, random, mix);
  }

  /**
   * As {@link #randomCaption(SplittableRandom, double[])} with other synonym and style rates,
   * leaving out the colour, object and backdrop with the chances in {@code leaveOut}, in that
   * order.
   */
  public String randomCaption(
      SplittableRandom random,
      double[] mix,
      double synonymRate,
      double styleRate,
      double[] leaveOut) {
    return Captions.random(this, random, mix, synonymRate, styleRate, leaveOut);
  }
}
