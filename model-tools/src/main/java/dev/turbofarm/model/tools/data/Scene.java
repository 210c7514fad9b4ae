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
  public static final int TEMPLATES = 5;

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

  /** The caption of this scene, built from its attributes. */
  public String caption() {
    return caption(template, true, true, true);
  }

  /**
   * A training caption: a random template, and now and then an attribute left out so that each word
   * is learnt on its own (short prompts like "a blue bottle" then work too).
   */
  public String randomCaption(SplittableRandom random) {
    boolean withObject = random.nextDouble() >= 0.08;
    boolean withColor = random.nextDouble() >= 0.08;
    boolean withBackdrop = random.nextDouble() >= 0.15;
    return caption(random.nextInt(TEMPLATES), withObject, withColor, withBackdrop);
  }

  /** The caption for one template, naming only the chosen attributes. */
  public String caption(int template, boolean withObject, boolean withColor, boolean withBackdrop) {
    String c = withColor ? color.captionWord() + " " : "";
    String o = withObject ? object.captionWord() : "product";
    String where =
        !withBackdrop
            ? ""
            : switch (backdrop) {
              case WHITE -> " on a white background";
              case GREY -> " on a grey background";
              case WOOD -> " on a wooden table";
              case OUTDOOR -> " outdoors";
            };
    String light = backdrop == Backdrop.OUTDOOR ? "natural light" : "studio photo";
    String article = "aeiou".indexOf((c + o).charAt(0)) >= 0 ? "an" : "a";
    return switch (template) {
      case 0 -> article + " " + c + o + where + ", " + light;
      case 1 -> c + o + where;
      case 2 -> "product photo of " + article + " " + c + o + where;
      case 3 -> article + " " + c + o + where;
      default -> c + o + (withBackdrop ? ", " + backdrop.caption() : "") + ", " + light;
    };
  }
}
