package dev.turbofarm.model.tiny;

import java.util.List;

/**
 * Object colours. White and grey are backgrounds only, so a colour word never names both the object
 * and the background of one caption.
 */
public enum ColorName implements Vocabulary {
  RED(0xD62828, List.of("red"), List.of("红色", "红")),
  ORANGE(0xF77F00, List.of("orange"), List.of("橙色", "橘色", "橙")),
  YELLOW(0xF2D024, List.of("yellow"), List.of("黄色", "黄")),
  GREEN(0x2A9D3F, List.of("green"), List.of("绿色", "绿")),
  BLUE(0x1F5FD1, List.of("blue"), List.of("蓝色", "蓝")),
  PURPLE(0x7B2CBF, List.of("purple", "violet"), List.of("紫色", "紫罗兰色", "紫")),
  PINK(0xF26DB2, List.of("pink"), List.of("粉色", "粉红色", "粉红", "粉")),
  BLACK(0x222222, List.of("black"), List.of("黑色", "黑"));

  private final int rgb;
  private final List<String> english;
  private final List<String> chinese;

  ColorName(int rgb, List<String> english, List<String> chinese) {
    this.rgb = rgb;
    this.english = english;
    this.chinese = chinese;
  }

  /** Base colour, 0xRRGGBB. */
  public int rgb() {
    return rgb;
  }

  public String captionWord() {
    return english.get(0);
  }

  @Override
  public List<String> english() {
    return english;
  }

  @Override
  public List<String> chinese() {
    return chinese;
  }
}
