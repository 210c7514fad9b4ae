package dev.turbofarm.model.tiny;

import java.util.List;

/** Backgrounds of the synthetic product photos. */
public enum Backdrop implements Vocabulary {
  WHITE("white background", "白色背景", List.of("white"), List.of("白色", "白底", "白")),
  GREY("grey background", "灰色背景", List.of("grey", "gray"), List.of("灰色", "灰底", "灰")),
  WOOD(
      "wooden table",
      "木桌",
      List.of("wood", "wooden", "table"),
      List.of("木桌", "木头", "木质", "木制", "桌子", "桌面", "木", "桌")),
  OUTDOOR(
      "outdoors",
      "户外",
      List.of("outdoor", "outdoors", "outside", "grass"),
      List.of("户外", "室外", "外面", "草地", "草坪"));

  private final String caption;
  private final String chineseCaption;
  private final List<String> english;
  private final List<String> chinese;

  Backdrop(String caption, String chineseCaption, List<String> english, List<String> chinese) {
    this.caption = caption;
    this.chineseCaption = chineseCaption;
    this.english = english;
    this.chinese = chinese;
  }

  /** Phrase used in captions. */
  public String caption() {
    return caption;
  }

  /** Chinese phrase used in captions. */
  public String chineseCaption() {
    return chineseCaption;
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
