package dev.turbofarm.model.tiny;

import java.util.List;

/**
 * Object colours. White and grey are backgrounds only, so a colour word never names both the object
 * and the background of one caption.
 */
public enum ColorName implements Vocabulary {
  RED(0xD62828, "red"),
  ORANGE(0xF77F00, "orange"),
  YELLOW(0xF2D024, "yellow"),
  GREEN(0x2A9D3F, "green"),
  BLUE(0x1F5FD1, "blue"),
  PURPLE(0x7B2CBF, "purple", "violet"),
  PINK(0xF26DB2, "pink"),
  BLACK(0x222222, "black");

  private final int rgb;
  private final List<String> words;

  ColorName(int rgb, String... words) {
    this.rgb = rgb;
    this.words = List.of(words);
  }

  /** Base colour, 0xRRGGBB. */
  public int rgb() {
    return rgb;
  }

  public String captionWord() {
    return words.get(0);
  }

  @Override
  public List<String> words() {
    return words;
  }
}
