package dev.turbofarm.model.tiny;

import java.util.List;

/** The products the bundled model knows; the first word of each language is the caption word. */
public enum ObjectKind implements Vocabulary {
  MUG(List.of("mug", "cup", "mugs"), List.of("马克杯", "杯子", "水杯", "杯")),
  SNEAKER(List.of("sneaker", "shoe", "sneakers", "trainer"), List.of("运动鞋", "鞋子", "球鞋", "跑鞋", "鞋")),
  TSHIRT(List.of("tshirt", "shirt", "tee"), List.of("t恤", "衬衫", "体恤", "短袖")),
  BOTTLE(List.of("bottle", "bottles"), List.of("瓶子", "水瓶", "瓶")),
  HANDBAG(List.of("handbag", "bag", "purse"), List.of("手提包", "包", "包包", "手袋", "背包", "钱包")),
  LAMP(List.of("lamp", "lamps"), List.of("台灯", "灯具", "灯"));

  private final List<String> english;
  private final List<String> chinese;

  ObjectKind(List<String> english, List<String> chinese) {
    this.english = english;
    this.chinese = chinese;
  }

  /** The word used in captions ({@code tshirt} is written {@code t-shirt}). */
  public String captionWord() {
    return this == TSHIRT ? "t-shirt" : english.get(0);
  }

  /** The Chinese caption word ({@code t恤} is written {@code T恤}). */
  public String chineseCaptionWord() {
    return this == TSHIRT ? "T恤" : chinese.get(0);
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
